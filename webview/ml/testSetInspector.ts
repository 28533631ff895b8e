// The model's answer for every test image, for looking inside the evaluation: which images a
// confusion-matrix cell holds, and their probabilities a page at a time. The answers are
// computed once per model, in chunks, on first use (a fraction of a second for 10,000 images).
import * as tf from '@tensorflow/tfjs';
import { predictSamples } from '../../src/shared/ml';
import { forEachChunk, PIXELS_PER_IMAGE, type ExampleBytes } from '../../src/shared/ml';
import type { PredictedImage } from '../../src/shared/ml/evaluate';

/** A page of a cell's images: how many there are in all, and the page's cards' data. */
export interface CellPage {
  total: number;
  images: PredictedImage[];
}

export class TestSetInspector {
  private predicted: Promise<Uint8Array> | undefined;

  /**
   * `model` answers for `test` (the images the run was evaluated on), both asked for on first use:
   * a saved run's model is loaded only if the learner looks. The caller keeps and disposes the model.
   */
  constructor(
    private readonly model: () => Promise<tf.LayersModel>,
    private readonly testImages: () => ExampleBytes,
  ) {}

  private get test(): ExampleBytes {
    return this.testImages();
  }

  /** The predicted class of every test image, in order. */
  private predictedLabels(): Promise<Uint8Array> {
    this.predicted ??= (async () => {
      const model = await this.model();
      const chunks: tf.Tensor[] = [];
      forEachChunk(this.test, 1024, (chunk) => {
        chunks.push(tf.tidy(() => tf.argMax(model.predict(chunk.xs, { batchSize: 1024 }) as tf.Tensor2D, -1)));
      });
      const all = tf.concat(chunks);
      tf.dispose(chunks);
      const labels = Uint8Array.from(await all.data());
      all.dispose();
      return labels;
    })();
    return this.predicted;
  }

  /** Images `start` to `start + count` of those with true class `trueLabel` the model answered `predicted`. */
  async cellPage(trueLabel: number, predicted: number, start: number, count: number): Promise<CellPage> {
    const answers = await this.predictedLabels();
    const indices: number[] = [];
    answers.forEach((answer, i) => {
      if (answer === predicted && this.test.labels[i] === trueLabel) {
        indices.push(i);
      }
    });
    const page = indices.slice(start, start + count);
    const samples = await predictSamples(await this.model(), this.test, page);
    return {
      total: indices.length,
      images: samples.map((s) => ({
        pixels: this.test.pixels.subarray(s.index * PIXELS_PER_IMAGE, (s.index + 1) * PIXELS_PER_IMAGE),
        trueLabel: s.trueLabel,
        predictedClass: s.predictedClass,
        probabilities: s.probabilities,
        testIndex: s.index,
      })),
    };
  }
}
