// Messages from a panel are checked before the host acts on them: a webview is a web page, and
// whatever it sends (a bug, a damaged state, a page someone injected into) must not reach a
// notification, the disk or the log unchecked. Types, ranges and sizes, as a real panel sends
// them; anything else gives `undefined`. Pure, so every rule is unit-tested in Node.
import { parseCalibration } from './backendCalibration';
import { BACKEND_NAMES, type BackendName } from './backendPolicy';
import { parseHistory } from './ml/history';
import type { ReplyMessage, RequestMessage } from './messaging';
import type { CommonWebviewMessage, LogLevel, PanelProtocol, Problem, UserAction } from './panelMessages';
import type { DrawProtocol, PadRequests } from './drawProtocol';
import type { ClassifierProtocol, ClassifierRequests, ClassifierToHost, ExperimentRunInfo } from './protocol';
import type { Classified, ClassificationSummary, ResultsProtocol, ResultsToHost } from './resultsProtocol';
import { MAX_GROUP_SIZE } from './experiments/runGroup';
import { parseSavedRun } from './savedRun';
import { DEFAULT_SETTINGS, MODEL_PRESETS, normalizeSettings, SETTING_RANGES } from './settings';

/** Caps on what a panel may send. */
export const MESSAGE_LIMITS = {
  /** A log line or an error's stack. */
  logText: 20_000,
  /** A problem's message, a reason, a file name. */
  shortText: 2_000,
  /** The trained weights: the largest model the settings allow is 4096 hidden units (13 MB). */
  weightBytes: 64 * 1024 * 1024,
  /** model.json's topology, as JSON. */
  topologyChars: 1_000_000,
  weightSpecs: 64,
  /** Text for the clipboard (the results as Markdown or JSON). */
  clipboardChars: 4_000_000,
  results: 1_000,
  /** Runs in one CSV export: more than the run history keeps (at most 200). */
  exportedRuns: 500,
} as const;

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number = MESSAGE_LIMITS.shortText): v is string =>
  typeof v === 'string' && v.length <= max;
const isInteger = (v: unknown, min: number, max: number): v is number =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isFraction = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
const isBackend = (v: unknown): v is BackendName => (BACKEND_NAMES as readonly unknown[]).includes(v);
/** Run ids are the store's own names (time and hex); anything else could name a path. */
const isRunId = (v: unknown): v is string => typeof v === 'string' && /^[\w.-]{1,80}$/.test(v);
const SETTING_KEYS = new Set(
  Object.keys(DEFAULT_SETTINGS)
    .map((key) => `fashionClassifier.${key}`)
    .concat('fashionClassifier.datasetPath', 'fashionClassifier.runHistoryLimit'),
);

function checkAction(v: unknown): UserAction | undefined {
  if (!isObject(v)) {
    return undefined;
  }
  switch (v.kind) {
    case 'openSetting':
      return typeof v.setting === 'string' && SETTING_KEYS.has(v.setting)
        ? { kind: 'openSetting', setting: v.setting }
        : undefined;
    case 'retryDataset':
    case 'trainNow':
    case 'trainOnWasm':
    case 'showLog':
    case 'saveAgain':
    case 'exportUnsaved':
    case 'drawGarment':
      return { kind: v.kind };
    default:
      return undefined;
  }
}

function checkProblem(v: unknown): Problem | undefined {
  if (!isObject(v) || !isText(v.message) || !Array.isArray(v.actions) || v.actions.length > 4) {
    return undefined;
  }
  const actions = v.actions.map(checkAction);
  return actions.every((a): a is UserAction => a !== undefined) ? { message: v.message, actions } : undefined;
}

function checkCommon(v: Raw): CommonWebviewMessage | undefined {
  switch (v.type) {
    case 'ready':
      return { type: 'ready' };
    case 'log': {
      const levels: LogLevel[] = ['info', 'warn', 'error'];
      const ok =
        levels.includes(v.level as LogLevel) &&
        isText(v.message, MESSAGE_LIMITS.logText) &&
        (v.stack === undefined || isText(v.stack, MESSAGE_LIMITS.logText));
      return ok
        ? {
            type: 'log',
            level: v.level as LogLevel,
            message: v.message as string,
            stack: v.stack as string | undefined,
          }
        : undefined;
    }
    case 'userAction': {
      const action = checkAction(v.action);
      return action && { type: 'userAction', action };
    }
    default:
      return undefined;
  }
}

interface WeightSpecLike {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

function checkWeightSpecs(v: unknown): WeightSpecLike[] | undefined {
  if (!Array.isArray(v) || v.length > MESSAGE_LIMITS.weightSpecs) {
    return undefined;
  }
  const ok = v.every(
    (spec) =>
      isObject(spec) &&
      isText(spec.name, 200) &&
      (spec.dtype === 'float32' || spec.dtype === 'int32') &&
      Array.isArray(spec.shape) &&
      spec.shape.length <= 6 &&
      spec.shape.every((d) => isInteger(d, 1, 1 << 24)),
  );
  return ok ? (v as WeightSpecLike[]) : undefined;
}

/** The bytes `specs` describe (4 per float32 or int32 value). */
function weightBytes(specs: WeightSpecLike[]): number {
  return specs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((a, b) => a * b, 1), 0);
}

function topologySize(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? Infinity;
  } catch {
    return Infinity;
  }
}

/** An event of the classifier page, checked; undefined when it is not one a real page sends. */
function checkClassifierEvent(raw: Raw): ClassifierToHost | undefined {
  switch (raw.type) {
    case 'backendChosen':
      return isBackend(raw.backend) &&
        (raw.glRenderer === null || isText(raw.glRenderer, 500)) &&
        isText(raw.reason, 500)
        ? { type: 'backendChosen', backend: raw.backend, glRenderer: raw.glRenderer, reason: raw.reason }
        : undefined;
    case 'backendCalibrated': {
      const calibration = parseCalibration(raw.calibration);
      return calibration &&
        isText(raw.key, 1000) &&
        (MODEL_PRESETS as readonly unknown[]).includes(raw.model) &&
        isInteger(raw.batchSize, SETTING_RANGES.batchSize.min, SETTING_RANGES.batchSize.max) &&
        (raw.glRenderer === null || isText(raw.glRenderer, 500)) &&
        (raw.measuredMs === undefined || (typeof raw.measuredMs === 'number' && raw.measuredMs >= 0))
        ? {
            type: 'backendCalibrated',
            key: raw.key,
            model: raw.model as (typeof MODEL_PRESETS)[number],
            batchSize: raw.batchSize,
            glRenderer: raw.glRenderer,
            calibration,
            measuredMs: raw.measuredMs as number | undefined,
          }
        : undefined;
    }
    case 'trainingStarted': {
      const experiment = raw.experiment === undefined ? undefined : checkExperimentRun(raw.experiment);
      return isBackend(raw.backend) &&
        isObject(raw.settings) &&
        isInteger(raw.trainCount, 1, 60_000) &&
        isInteger(raw.validationCount, 0, 60_000) &&
        (raw.experiment === undefined || experiment !== undefined)
        ? {
            type: 'trainingStarted',
            backend: raw.backend,
            settings: normalizeSettings(raw.settings),
            trainCount: raw.trainCount,
            validationCount: raw.validationCount,
            ...(experiment ? { experiment } : {}),
          }
        : undefined;
    }
    case 'trainingProgress':
      return isInteger(raw.epochs, 1, 1000) &&
        isInteger(raw.epoch, 1, raw.epochs) &&
        isFraction(raw.fraction) &&
        (raw.secondsLeft === null ||
          (typeof raw.secondsLeft === 'number' && raw.secondsLeft >= 0 && raw.secondsLeft < 1e7))
        ? {
            type: 'trainingProgress',
            epoch: raw.epoch,
            epochs: raw.epochs,
            fraction: raw.fraction,
            secondsLeft: raw.secondsLeft,
          }
        : undefined;
    case 'epochEnded': {
      const metrics = parseHistory([raw.metrics])?.[0];
      return metrics && isInteger(raw.epochs, 1, 1000)
        ? { type: 'epochEnded', metrics, epochs: raw.epochs }
        : undefined;
    }
    case 'trainingEnded': {
      const outcomes = ['completed', 'stopped', 'failed'];
      const problem = raw.problem === undefined ? undefined : checkProblem(raw.problem);
      const ok =
        outcomes.includes(raw.outcome as string) &&
        (raw.problem === undefined || problem !== undefined) &&
        (raw.testAccuracy === undefined || isFraction(raw.testAccuracy));
      return ok
        ? {
            type: 'trainingEnded',
            outcome: raw.outcome as 'completed' | 'stopped' | 'failed',
            problem,
            testAccuracy: raw.testAccuracy as number | undefined,
          }
        : undefined;
    }
    case 'resetSettings':
      return { type: 'resetSettings' };
    case 'selectRun':
    case 'deleteRun':
    case 'openRunNotebook':
      return isRunId(raw.id) ? { type: raw.type, id: raw.id } : undefined;
    case 'updateSetting': {
      // A value is accepted only as the settings would keep it: in range, of the right type.
      const key = raw.key as keyof typeof DEFAULT_SETTINGS;
      if (typeof raw.key !== 'string' || !(raw.key in DEFAULT_SETTINGS) || raw.value === undefined) {
        return undefined;
      }
      const kept = normalizeSettings({ [key]: raw.value })[key];
      return kept === raw.value ? { type: 'updateSetting', key, value: kept } : undefined;
    }
    default:
      return undefined;
  }
}

/** A run's place in its repeat or sweep, checked. */
function checkExperimentRun(v: unknown): ExperimentRunInfo | undefined {
  return isObject(v) && isText(v.label, 200) && isInteger(v.runs, 1, MAX_GROUP_SIZE) && isInteger(v.run, 1, v.runs)
    ? { label: v.label, run: v.run, runs: v.runs }
    : undefined;
}

/** A request of the classifier page, checked; undefined when it is not one a real page sends. */
function checkClassifierRequest(raw: Raw): RequestMessage<ClassifierRequests> | undefined {
  if (!isInteger(raw.requestId, 1, Number.MAX_SAFE_INTEGER)) {
    return undefined;
  }
  if (raw.type === 'exportRuns') {
    const ids = raw.ids;
    return Array.isArray(ids) &&
      ids.length >= 1 &&
      ids.length <= MESSAGE_LIMITS.exportedRuns &&
      ids.every(isRunId) &&
      (raw.to === 'file' || raw.to === 'clipboard')
      ? { type: 'exportRuns', requestId: raw.requestId, ids: [...ids], to: raw.to }
      : undefined;
  }
  if (raw.type !== 'saveModel') {
    return undefined;
  }
  const specs = checkWeightSpecs(raw.weightSpecs);
  const run = parseSavedRun(raw.run);
  const data = raw.weightData;
  const ok =
    specs !== undefined &&
    run !== undefined &&
    data instanceof ArrayBuffer &&
    data.byteLength <= MESSAGE_LIMITS.weightBytes &&
    data.byteLength === weightBytes(specs) &&
    isObject(raw.modelTopology) &&
    topologySize(raw.modelTopology) <= MESSAGE_LIMITS.topologyChars;
  return ok
    ? {
        type: 'saveModel',
        requestId: raw.requestId,
        modelTopology: raw.modelTopology,
        weightSpecs: specs,
        weightData: data as ArrayBuffer,
        run,
      }
    : undefined;
}

function checkSummary(v: unknown): ClassificationSummary | undefined {
  if (!isObject(v) || !isText(v.name, 1_000)) {
    return undefined;
  }
  const ok =
    (v.predictedClass === undefined || isInteger(v.predictedClass, 0, 9)) &&
    (v.confidence === undefined || isFraction(v.confidence)) &&
    (v.error === undefined || isText(v.error));
  return ok
    ? {
        name: v.name,
        predictedClass: v.predictedClass as number | undefined,
        confidence: v.confidence as number | undefined,
        error: v.error as string | undefined,
      }
    : undefined;
}

/** An event of the results page, checked; undefined when it is not one a real page sends. */
function checkResultsEvent(raw: Raw): ResultsToHost | undefined {
  return raw.type === 'copyResults' &&
    isText(raw.text, MESSAGE_LIMITS.clipboardChars) &&
    (raw.format === 'Markdown' || raw.format === 'JSON')
    ? { type: 'copyResults', text: raw.text, format: raw.format }
    : undefined;
}

/** The results page's answer to `classify`, checked; undefined when it is not one a real page gives. */
export function checkClassified(body: unknown): Classified | undefined {
  if (!isObject(body) || !Array.isArray(body.results) || body.results.length > MESSAGE_LIMITS.results) {
    return undefined;
  }
  const results = body.results.map(checkSummary);
  const problem = body.problem === undefined ? undefined : checkProblem(body.problem);
  const ok =
    results.every((r): r is ClassificationSummary => r !== undefined) &&
    (body.problem === undefined || problem !== undefined);
  return ok ? { results: results as ClassificationSummary[], problem } : undefined;
}

/** How the host checks what one panel's page sends: its events, its requests, its replies' bodies. */
export interface PanelChecks<P extends PanelProtocol> {
  event(raw: Record<string, unknown>): P['fromPage'] | undefined;
  request(raw: Record<string, unknown>): RequestMessage<P['hostAnswers']> | undefined;
  /** Per request the host makes: the reply's body as the host may use it, or undefined. */
  reply: { [K in keyof P['pageAnswers']]: (body: unknown) => P['pageAnswers'][K]['reply'] | undefined };
}

/** A message from a page, checked; a reply's body is checked later, against the request it answers. */
export type CheckedFromPage<P extends PanelProtocol> =
  CommonWebviewMessage | P['fromPage'] | RequestMessage<P['hostAnswers']> | ReplyMessage;

function checkReplyEnvelope(raw: Raw): ReplyMessage | undefined {
  return isInteger(raw.inReplyTo, 1, Number.MAX_SAFE_INTEGER) && (raw.error === undefined || isText(raw.error))
    ? { type: 'reply', inReplyTo: raw.inReplyTo, body: raw.body, error: raw.error as string | undefined }
    : undefined;
}

/** Any message of a panel's page, checked; undefined when it is not one a real page sends. */
export function checkPanelMessage<P extends PanelProtocol>(
  checks: PanelChecks<P>,
  raw: unknown,
): CheckedFromPage<P> | undefined {
  if (!isObject(raw)) {
    return undefined;
  }
  if (raw.type === 'reply') {
    return checkReplyEnvelope(raw);
  }
  return checkCommon(raw) ?? (raw.requestId === undefined ? checks.event(raw) : checks.request(raw));
}

export const CLASSIFIER_CHECKS: PanelChecks<ClassifierProtocol> = {
  event: checkClassifierEvent,
  request: checkClassifierRequest,
  reply: {},
};

export const RESULTS_CHECKS: PanelChecks<ResultsProtocol> = {
  event: checkResultsEvent,
  request: () => undefined,
  reply: { classify: checkClassified },
};

/** A message of the classifier panel, checked; undefined when it is not one a real panel sends. */
export function checkClassifierMessage(raw: unknown): CheckedFromPage<ClassifierProtocol> | undefined {
  return checkPanelMessage(CLASSIFIER_CHECKS, raw);
}

/** A message of the results panel, checked; undefined when it is not one a real panel sends. */
export function checkResultsMessage(raw: unknown): CheckedFromPage<ResultsProtocol> | undefined {
  return checkPanelMessage(RESULTS_CHECKS, raw);
}

/**
 * Text from a panel, made safe for a notification: VS Code renders Markdown links there (and
 * `command:` links run commands), so none may survive; long text is cut.
 */
export function notificationText(text: string, max = 600): string {
  const unlinked = text
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1 ($2)')
    .replace(/\b(command|vscode|https?):/gi, '$1\u200b:')
    .replace(/[\r\n]+/g, ' ');
  return unlinked.length > max ? `${unlinked.slice(0, max - 1)}…` : unlinked;
}

// ---- the drawing pad ----

/** The largest drawing the pad saves, a side in pixels (its raster is 280). */
export const MAX_DRAWING_SIDE = 2048;

/** A request of the drawing pad, checked; undefined when it is not one a real pad sends. */
function checkDrawRequest(raw: Raw): RequestMessage<PadRequests> | undefined {
  const ok =
    raw.type === 'saveDrawing' &&
    isInteger(raw.requestId, 1, Number.MAX_SAFE_INTEGER) &&
    isInteger(raw.width, 1, MAX_DRAWING_SIDE) &&
    isInteger(raw.height, 1, MAX_DRAWING_SIDE) &&
    raw.pixels instanceof ArrayBuffer &&
    raw.pixels.byteLength === (raw.width as number) * (raw.height as number);
  return ok
    ? {
        type: 'saveDrawing',
        requestId: raw.requestId as number,
        width: raw.width as number,
        height: raw.height as number,
        pixels: raw.pixels as ArrayBuffer,
      }
    : undefined;
}

export const DRAW_CHECKS: PanelChecks<DrawProtocol> = {
  event: () => undefined,
  request: checkDrawRequest,
  reply: {},
};

/** A message of the drawing pad, checked; undefined when it is not one a real pad sends. */
export function checkDrawMessage(raw: unknown): CheckedFromPage<DrawProtocol> | undefined {
  return checkPanelMessage(DRAW_CHECKS, raw);
}
