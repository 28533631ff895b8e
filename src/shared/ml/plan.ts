// What a run will train on, decided before it starts: how many images train, validate and test,
// and how many batches an epoch has. Settings that cannot train are refused here, with a message
// that names them and their values, instead of failing inside TF.js with its own words.
import type { TrainingSettings } from '../settings';
import { validationSplit } from './split';

/** Images available in the loaded data set. */
export interface AvailableExamples {
  train: number;
  test: number;
}

export interface TrainingPlan {
  /** Images used from the training set (the subset), before the validation split. */
  usedCount: number;
  trainCount: number;
  validationCount: number;
  testCount: number;
  batchesPerEpoch: number;
}

export interface PlanRefusal {
  /** Whole sentences: what is wrong, with the settings and values, and what to change. */
  message: string;
  /** The settings to change, most relevant first (keys of TrainingSettings). */
  settings: (keyof TrainingSettings)[];
}

export type PlanOutcome = { plan: TrainingPlan; refusal?: undefined } | { refusal: PlanRefusal; plan?: undefined };

const named = (key: keyof TrainingSettings, value: number) => `fashionClassifier.${key} is ${value}`;

function subsetCount(setting: number, available: number): number {
  return setting === 0 ? available : Math.min(setting, available);
}

/** The plan for `settings` on a data set with `available` images, or why there can be none. */
export function planTraining(settings: TrainingSettings, available: AvailableExamples): PlanOutcome {
  const usedCount = subsetCount(settings.trainSubsetSize, available.train);
  const testCount = subsetCount(settings.testSubsetSize, available.test);
  if (usedCount === 0 || testCount === 0) {
    return {
      refusal: {
        message: `The loaded data set has ${available.train} training and ${available.test} test images, so there is nothing to ${usedCount === 0 ? 'train on' : 'test on'}. Choose Retry to load the data set again.`,
        settings: [],
      },
    };
  }
  const ranges = validationSplit(usedCount, settings.validationSplit);
  const trainCount = ranges.train.end - ranges.train.start;
  const validationCount = ranges.validation.end - ranges.validation.start;
  const subset = settings.trainSubsetSize === 0 ? 'all' : String(settings.trainSubsetSize);
  if (trainCount === 0) {
    return {
      refusal: {
        message:
          `No training image is left: ${named('trainSubsetSize', settings.trainSubsetSize)} (${subset} images used) and ` +
          `${named('validationSplit', settings.validationSplit)}, which holds out all ${usedCount} for validation. ` +
          `Use more images (0 uses all of them) or a smaller validation split.`,
        settings: ['trainSubsetSize', 'validationSplit'],
      },
    };
  }
  if (settings.validationSplit > 0 && validationCount === 0) {
    return {
      refusal: {
        message:
          `No validation image is left: ${named('validationSplit', settings.validationSplit)}, which is less than one ` +
          `of the ${usedCount} images used (${named('trainSubsetSize', settings.trainSubsetSize)}). ` +
          `Use a larger validation split, or 0 to train without validation.`,
        settings: ['validationSplit', 'trainSubsetSize'],
      },
    };
  }
  if (settings.earlyStoppingPatience > 0 && validationCount === 0) {
    return {
      refusal: {
        message:
          `Early stopping watches the validation loss, and there is no validation image: ` +
          `${named('earlyStoppingPatience', settings.earlyStoppingPatience)} and ` +
          `${named('validationSplit', settings.validationSplit)}. Set a validation split above 0, or the patience to 0.`,
        settings: ['earlyStoppingPatience', 'validationSplit'],
      },
    };
  }
  return {
    plan: {
      usedCount,
      trainCount,
      validationCount,
      testCount,
      batchesPerEpoch: Math.ceil(trainCount / settings.batchSize),
    },
  };
}
