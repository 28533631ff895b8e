// Which backend the next run trains on. A backend named in the setting is used as it is; "auto"
// starts on the planned backend at once (the model summary needs one) and, once training images
// are loaded, times the candidates for the model and batch size in the settings, unless this
// editor already measured them (the host keeps the figures per GL renderer, step shape (model,
// batch size, hidden units) and extension version).
import type { BackendName } from '../../src/shared/backendPolicy';
import { calibrationKey, describeCalibration, type Calibration } from '../../src/shared/backendCalibration';
import type { ExampleBytes } from '../../src/shared/ml';
import type { BackendCalibratedMessage } from '../../src/shared/protocol';
import type { TrainingSettings } from '../../src/shared/settings';
import { activateBackend, isWebglLost, type ActiveBackend } from './backend';
import { calibrateBackends } from './calibrateBackends';
import { availableCores } from './workers/workerPool';

/** What a calibration found, for the panel, the log and the host's store. */
export type CalibrationReport = Omit<BackendCalibratedMessage, 'type'>;

/**
 * "auto" times the backends before training; so does fashionClassifier.workers "auto" on
 * WebAssembly (the worker counts), where there is more than one core to share out.
 */
function timesBeforeTraining(settings: TrainingSettings): boolean {
  return settings.backend === 'auto' || (settings.backend === 'wasm' && settings.workers === 0 && availableCores() > 1);
}

export class BackendChooser {
  private activation: Promise<ActiveBackend> | undefined;
  /** The backend `activation` started, once it has. */
  private activeName: BackendName | undefined;
  private choice: TrainingSettings['backend'] | undefined;
  private readonly known = new Map<string, Calibration>();
  /** The calibration being made or used, by key. */
  private calibrating: { key: string; backend: Promise<ActiveBackend> } | undefined;
  /** Calibrations and activations switch TF.js' global backend, so they run one after the other. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly wasmFolderUrl: string,
    private readonly onCalibrated: (report: CalibrationReport) => void,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Calibrations this editor made earlier (from the host). */
  remember(calibrations: Record<string, Calibration>): void {
    for (const [key, calibration] of Object.entries(calibrations)) {
      this.known.set(key, calibration);
    }
  }

  /** Starts TF.js on the backend the setting plans; again only when the setting changes. */
  activate(choice: TrainingSettings['backend']): Promise<ActiveBackend> {
    // A lost WebGL backend is not kept: activating again moves to the next one in the plan.
    if (choice !== this.choice || !this.activation || (this.activeName === 'webgl' && isWebglLost())) {
      this.choice = choice;
      this.calibrating = undefined;
      this.activeName = undefined;
      // After any calibration in flight: switching TF.js' backend under it would time one
      // backend's batches on another (a setting changed while "Measure again" runs, say).
      const activation = this.queue.then(() => activateBackend(choice, this.wasmFolderUrl));
      this.queue = activation.catch(() => undefined);
      this.activation = activation;
      void activation.then(
        (active) => {
          if (this.activation === activation) {
            this.activeName = active.name;
          }
        },
        () => undefined,
      );
    }
    return this.activation;
  }

  /**
   * The backend to train `settings` on. For "auto", times the candidates unless a calibration for
   * this renderer and step shape is known (or `measureAgain`).
   */
  async forTraining(settings: TrainingSettings, training: ExampleBytes, measureAgain = false): Promise<ActiveBackend> {
    const active = await this.activate(settings.backend);
    if (!timesBeforeTraining(settings)) {
      return active;
    }
    if (this.choice !== settings.backend && this.choice !== undefined) {
      // The setting changed while this waited: its backend is activated (queued before anything
      // this call would queue), and timing for "auto" after it would switch TF.js away from it.
      return this.activate(this.choice);
    }
    // A named backend is timed only for its worker counts, and kept apart from "auto"'s timing.
    const key = calibrationKey(active.glRenderer, settings) + (settings.backend === 'auto' ? '' : settings.backend);
    if (this.calibrating?.key !== key || measureAgain) {
      const backend = this.queue.then(() => this.calibrate(key, active, settings, training, measureAgain));
      this.queue = backend.catch(() => undefined);
      this.calibrating = { key, backend };
      // A failed calibration is not kept: the next call tries again.
      backend.catch(() => {
        if (this.calibrating?.backend === backend) {
          this.calibrating = undefined;
        }
      });
    }
    return this.calibrating!.backend;
  }

  private async calibrate(
    key: string,
    active: ActiveBackend,
    settings: TrainingSettings,
    training: ExampleBytes,
    measureAgain: boolean,
  ): Promise<ActiveBackend> {
    const { glRenderer } = active;
    const known = measureAgain ? undefined : this.known.get(key);
    // A timing from before worker counts were timed does not say how many to train on.
    const stored = settings.workers === 0 && known && !known.workerTimings ? undefined : known;
    let report: CalibrationReport;
    if (stored && (await activateBackend(stored.choice, this.wasmFolderUrl)).name === stored.choice) {
      report = { key, model: settings.model, batchSize: settings.batchSize, calibration: stored, glRenderer };
    } else {
      // WASM first: its figure comes in a fraction of its share, and WebGL's first batch
      // (compiling its shaders) cannot be cut short. WebGL is timed even in software: the
      // figures show why it loses there.
      const candidates: BackendName[] =
        settings.backend === 'wasm' || glRenderer === null || isWebglLost() ? ['wasm'] : ['wasm', 'webgl'];
      const measured = await calibrateBackends(candidates, settings, training).catch((error: unknown) => {
        this.onFailure(error);
        return undefined;
      });
      if (!measured) {
        // Nothing to compare: train where the setting's plan starts, and keep nothing, so that
        // the next run times again.
        const planned = await activateBackend(settings.backend, this.wasmFolderUrl);
        return { ...planned, reason: `auto, not timed (timing failed; the log says why): ${planned.reason}` };
      }
      this.known.set(key, measured.calibration);
      report = {
        key,
        model: settings.model,
        batchSize: settings.batchSize,
        calibration: measured.calibration,
        glRenderer,
        measuredMs: measured.elapsedMs,
      };
    }
    this.onCalibrated(report);
    return {
      name: report.calibration.choice,
      glRenderer,
      reason: `auto, by timing: ${describeCalibration(report.calibration, glRenderer)}`,
      slowKernels: active.slowKernels,
      workers: report.calibration.workers,
    };
  }
}
