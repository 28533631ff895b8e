// The "Draw a garment" pad's entry point. The steps drawn live in the page's state, so the drawing
// comes back when the panel is shown again or the window reloads. Classification follows the pen:
// each move paints the raster at once, and one classification at a time runs on the latest
// raster, so a slow backend skips intermediate states instead of falling behind. The time from
// the first move not yet shown to the frame that shows its bars is measured with performance.now
// and reported per stroke (on the page and in the extension's log).
import '../ui/toolkit';
import * as tf from '@tensorflow/tfjs';
import {
  BRUSH_SIZES,
  PAD_SIDE,
  PadHistory,
  padInput,
  paintStroke,
  paperImage,
  rasterize,
} from '../../src/shared/drawing/pad';
import { summariseTimes } from '../../src/shared/drawing/timing';
import type { PadStep, Point, Stroke } from '../../src/shared/drawing/pad';
import type { DrawProtocol, PadModel } from '../../src/shared/drawProtocol';
import type { Problem } from '../../src/shared/panelMessages';
import { errorMessage } from '../../src/shared/errorMessage';
import { occlusionSaliency } from '../../src/shared/ml/saliency';
import { asSentence } from '../../src/shared/sentences';
import type { BackendChoice } from '../../src/shared/settings';
import { connectToHost } from '../hostChannel';
import { activateBackend } from '../ml/backend';
import { loadModel, ModelLoadError } from '../results/modelCache';
import { classifyPixels, pastedPicture } from './padInput';
import { createPadView } from './padView';

/** What the page keeps across reloads. */
interface KeptState {
  steps: PadStep[];
  brushSize: number;
  erase: boolean;
}

const DRAW_HINT =
  'Draw a garment with the mouse, a pen or a finger, or paste a picture with Ctrl+V (⌘V on a Mac). The answer follows the pen.';

/** Long enough for a person to pick a folder in the save dialog. */
const SAVE_DEADLINE_MS = 30 * 60_000;

class PadPage {
  private history = new PadHistory();
  private raster = rasterize([]);
  private brushSize: number = BRUSH_SIZES.initial;
  private erase = false;
  /** The stroke under the pen, already in the history (so undo and the input see it). */
  private stroke: Stroke | undefined;
  private model: PadModel | undefined;
  private backend: BackendChoice | undefined;
  /** When the oldest change not yet classified happened (null: not a stroke, not timed). */
  private pendingSince: number | null | undefined;
  private classifying = false;
  /** Stroke-to-bars times since the current stroke began. */
  private strokeTimes: number[] = [];
  private strokeEnded = false;
  private whyOpen = false;
  private explainedFor: Uint8Array | undefined;

  private readonly host = connectToHost<DrawProtocol>({
    onEvent: (message) => this.useModel(message.model, message.problem),
    requests: {},
    onError: (error) => this.showFailure(error),
  });

  private readonly view = createPadView(document.getElementById('app')!, {
    strokes: {
      begin: (point, at) => this.beginStroke(point, at),
      extend: (points, at) => this.extendStroke(points, at),
      end: () => this.endStroke(),
    },
    onUndo: () => this.undo(),
    onClear: () => this.change({ kind: 'clear' }),
    onSave: () => void this.save(),
    onEraser: (erase) => this.setTools(this.brushSize, erase),
    onBrushSize: (size) => this.setTools(size, this.erase),
    onWhy: (open) => {
      this.whyOpen = open;
      void this.explain();
    },
    onAction: (action) => this.host.act(action),
  });

  start(): void {
    const kept = this.host.getState<KeptState>();
    if (kept?.steps) {
      this.history = new PadHistory(kept.steps);
      this.setTools(kept.brushSize ?? BRUSH_SIZES.initial, kept.erase === true);
    } else {
      this.setTools(BRUSH_SIZES.initial, false);
    }
    this.redraw(null);
    this.view.showStatus(DRAW_HINT);
    document.addEventListener('paste', (event) => void this.paste(event));
    document.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement | null;
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z' && target?.tagName !== 'INPUT') {
        event.preventDefault();
        this.undo();
      }
    });
    this.host.ready();
  }

  // ---- drawing ----

  private beginStroke(point: Point, at: number): void {
    this.stroke = { points: [point], size: this.brushSize, erase: this.erase };
    this.history.push({ kind: 'stroke', stroke: this.stroke });
    this.strokeTimes = [];
    this.strokeEnded = false;
    paintStroke(this.raster, this.stroke);
    this.afterPaint(at);
  }

  private extendStroke(points: Point[], at: number): void {
    if (!this.stroke) {
      return;
    }
    const from = this.stroke.points.length;
    this.stroke.points.push(...points);
    paintStroke(this.raster, this.stroke, from);
    this.afterPaint(at);
  }

  private endStroke(): void {
    this.stroke = undefined;
    this.strokeEnded = true;
    this.keep();
    this.reportStrokeWhenIdle();
    void this.explain();
  }

  private afterPaint(at: number): void {
    this.view.showRaster(this.raster);
    this.view.setCanUndo(true);
    this.view.setHasDrawing(true);
    this.schedule(at);
  }

  private change(step: PadStep): void {
    this.history.push(step);
    this.redraw(null);
    this.showHint();
  }

  private undo(): void {
    if (this.stroke || !this.history.undo()) {
      return;
    }
    this.redraw(null);
    this.showHint();
  }

  /** Back to what the pad is for, unless a problem (no model) stands. */
  private showHint(): void {
    if (this.model) {
      this.view.showStatus(DRAW_HINT);
    }
  }

  /** Rebuilds the raster from the steps (after undo, clear, paste, reload) and classifies it. */
  private redraw(at: number | null): void {
    this.raster = rasterize(this.history.steps);
    this.view.showRaster(this.raster);
    this.view.setCanUndo(this.history.canUndo);
    this.view.setHasDrawing(this.raster.some((ink) => ink > 0));
    this.keep();
    this.schedule(at);
    void this.explain();
  }

  private setTools(brushSize: number, erase: boolean): void {
    this.brushSize = brushSize;
    this.erase = erase;
    this.view.setTools(brushSize, erase);
    this.keep();
  }

  private keep(): void {
    this.host.setState<KeptState>({ steps: [...this.history.steps], brushSize: this.brushSize, erase: this.erase });
  }

  // ---- classifying as the pen moves ----

  private schedule(at: number | null): void {
    if (this.pendingSince === undefined || this.pendingSince === null) {
      this.pendingSince = at;
    }
    if (!this.classifying) {
      void this.classifyWhileChanged();
    }
  }

  private async classifyWhileChanged(): Promise<void> {
    this.classifying = true;
    try {
      while (this.pendingSince !== undefined) {
        const since = this.pendingSince;
        this.pendingSince = undefined;
        await this.classifyNow(since);
      }
    } catch (error) {
      this.host.log('error', 'Classifying the drawing failed', error);
      this.showFailure(error);
    } finally {
      this.classifying = false;
    }
    this.reportStrokeWhenIdle();
  }

  private async classifyNow(since: number | null): Promise<void> {
    const input = padInput(this.history.steps, this.raster);
    this.view.showInput(input.kind === 'empty' ? undefined : input.pixels28, input.kind);
    const model = this.model;
    if (input.kind === 'empty' || !model) {
      this.view.showAnswer(undefined);
      return;
    }
    await this.useBackend(model.backend);
    const loaded = await loadModel(model.url, model.version);
    const prediction = await classifyPixels(loaded, input.pixels28);
    this.view.showAnswer(prediction, model.version, input.kind);
    if (since !== null) {
      // The bars are in the DOM; the next frame is the one that shows them.
      await new Promise<void>((resolve) =>
        requestAnimationFrame(() => {
          this.strokeTimes.push(performance.now() - since);
          resolve();
        }),
      );
    }
  }

  /** After a stroke's last classification: its times on the page and in the log. */
  private reportStrokeWhenIdle(): void {
    if (!this.strokeEnded || this.classifying || this.pendingSince !== undefined || !this.strokeTimes.length) {
      return;
    }
    const timing = summariseTimes(this.strokeTimes);
    this.strokeEnded = false;
    this.strokeTimes = [];
    this.view.showTiming(timing);
    this.host.log(
      'info',
      `Drawing pad: stroke to bars ${timing.medianMs.toFixed(1)} ms median, ${timing.maxMs.toFixed(1)} ms at most, ` +
        `over ${timing.updates} update(s) (${tf.getBackend()} backend).`,
    );
  }

  private async useBackend(choice: BackendChoice): Promise<void> {
    if (choice !== this.backend) {
      await activateBackend(choice, document.body.dataset.wasmPath!);
      this.backend = choice;
    }
  }

  private async useModel(model: PadModel | undefined, problem: Problem | undefined): Promise<void> {
    this.model = model;
    this.explainedFor = undefined;
    if (!model) {
      this.view.showProblem(problem ?? { message: 'There is no trained model yet.', actions: [{ kind: 'trainNow' }] });
      this.view.showAnswer(undefined);
      return;
    }
    this.view.showStatus('Loading the trained model…', 'busy');
    await this.useBackend(model.backend);
    await loadModel(model.url, model.version);
    this.view.showStatus(DRAW_HINT);
    this.schedule(null);
    void this.explain();
  }

  /** A saved model that does not load is trained again; anything else is in the log. */
  private showFailure(error: unknown): void {
    this.view.showProblem(
      error instanceof ModelLoadError
        ? { message: error.message, actions: [{ kind: 'trainNow' }, { kind: 'showLog' }] }
        : {
            message: `The drawing could not be classified: ${asSentence(errorMessage(error))} Draw on to try again; the log has the details.`,
            actions: [{ kind: 'showLog' }],
          },
    );
  }

  // ---- Why? ----

  /** The saliency map of the current input, while "Why?" is open and no stroke is under way. */
  private async explain(): Promise<void> {
    if (!this.whyOpen || this.stroke) {
      return;
    }
    const input = padInput(this.history.steps, this.raster);
    if (input.kind === 'empty' || !this.model) {
      this.view.showSaliencyWaiting(this.model ? 'Draw something first.' : 'No trained model yet.');
      return;
    }
    if (this.explainedFor && this.explainedFor.every((value, i) => value === input.pixels28[i])) {
      return;
    }
    this.explainedFor = input.pixels28;
    this.view.showSaliencyWaiting('Hiding one patch at a time…');
    const started = performance.now();
    try {
      await this.useBackend(this.model.backend);
      const result = await occlusionSaliency(await loadModel(this.model.url, this.model.version), input.pixels28);
      if (this.explainedFor === input.pixels28) {
        this.view.showSaliency(input.pixels28, result, performance.now() - started);
      }
    } catch (error) {
      this.explainedFor = undefined;
      this.view.showSaliencyWaiting(`✗ No explanation: ${asSentence(errorMessage(error))}`);
    }
  }

  // ---- paste and save ----

  private async paste(event: ClipboardEvent): Promise<void> {
    const items = [...(event.clipboardData?.items ?? [])];
    const picture = items.find((item) => item.kind === 'file' && item.type.startsWith('image/'))?.getAsFile();
    event.preventDefault();
    if (!picture) {
      this.view.showStatus(
        'The clipboard holds no picture. Copy a picture (PNG, JPEG, GIF, BMP or WebP), then press Ctrl+V (⌘V) here again.',
        'error',
      );
      return;
    }
    this.view.showStatus('Reading the pasted picture…', 'busy');
    try {
      const pixels28 = await pastedPicture(await picture.arrayBuffer());
      this.change({ kind: 'paste', pixels28: Array.from(pixels28) });
      this.view.showStatus('Pasted. Draw over it, or Undo to go back.');
    } catch (error) {
      this.view.showStatus(`The pasted picture could not be used: ${asSentence(errorMessage(error))}`, 'error');
    }
  }

  private async save(): Promise<void> {
    const pixels = paperImage(this.raster);
    try {
      const { savedAs } = await this.host.request(
        'saveDrawing',
        { width: PAD_SIDE, height: PAD_SIDE, pixels: pixels.buffer as ArrayBuffer },
        SAVE_DEADLINE_MS,
      );
      if (savedAs) {
        this.view.showStatus(`Saved as ${savedAs}: "Classify image" reads it like any picture.`);
      }
    } catch (error) {
      this.view.showStatus(asSentence(errorMessage(error)), 'error');
    }
  }
}

new PadPage().start();
