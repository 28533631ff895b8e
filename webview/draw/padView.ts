// The "Draw a garment" page: the pad and its tools, the 28×28 input the model sees, the answer
// with its ten probabilities (the same bars as the results panel), "Why?" (the saliency map of
// the current input, as on a result's card), and how long the last stroke took to reach the bars.
// Every control is a button or a labelled input, so all of it works from the keyboard; Ctrl+V
// (⌘V) pastes anywhere on the page and Ctrl+Z (⌘Z) undoes.
//
// DOM for tests:
//   #draw-pad                       the drawing surface (a canvas, PAD_SIDE pixels a side)
//   #draw-brush                     brush size (an <input type="range">, raster pixels)
//   #draw-eraser[aria-pressed]      the eraser toggle
//   #draw-undo, #draw-clear, #draw-save   Undo, Clear, Save as PNG (disabled while they cannot act)
//   #draw-status[data-kind]         the status line, or a problem (.problem, see problemView.ts),
//                                   e.g. no trained model yet, with its "Train now"
//   #draw-input[data-source]        the 28×28 input (a canvas); data-source "drawing", "pasted"
//                                   or "empty"
//   #draw-answer[data-predicted][data-confidence][data-model][data-source]   the answer once
//                                   classified; data-model is the run whose model gave it,
//                                   data-source the input it answered ("drawing" or "pasted")
//   #draw-answer .result-bar[data-class][data-predicted]   the ten probabilities
//   #draw-why[aria-pressed]         "Why?"
//   #draw-saliency[data-ready][data-ms]   the explanation of the current input (saliencyOverlay.ts)
//   #draw-timing[data-median-ms][data-max-ms][data-updates]   stroke-to-bars times of the last stroke
import { CLASS_NAMES } from '../../src/shared/classNames';
import { BRUSH_SIZES, type InkRaster } from '../../src/shared/drawing/pad';
import type { Prediction } from '../../src/shared/ml';
import type { SaliencyResult } from '../../src/shared/ml/saliency';
import type { Problem, UserAction } from '../../src/shared/panelMessages';
import { probabilityRows } from '../results/resultsView';
import { createButton, setDisabled } from '../ui/toolkit';
import { h } from '../views/dom';
import { formatPercent } from '../views/format';
import { createPixelCanvas } from '../views/pixelImage';
import { createProblemElement } from '../views/problemView';
import { createLegend, createSaliencyImage } from '../views/saliencyOverlay';
import { createPadCanvas, type StrokeListener } from './padCanvas';

export interface PadControls {
  strokes: StrokeListener;
  onUndo(): void;
  onClear(): void;
  onSave(): void;
  onEraser(erase: boolean): void;
  onBrushSize(size: number): void;
  onWhy(open: boolean): void;
  onAction(action: UserAction): void;
}

export interface PadTiming {
  medianMs: number;
  maxMs: number;
  updates: number;
}

export interface PadView {
  showRaster(raster: InkRaster): void;
  showInput(pixels28: Uint8Array | undefined, source: 'drawing' | 'pasted' | 'empty'): void;
  showAnswer(prediction: Prediction | undefined, model?: string, source?: 'drawing' | 'pasted'): void;
  showStatus(message: string, kind?: 'info' | 'busy' | 'error'): void;
  showProblem(problem: Problem): void;
  showTiming(timing: PadTiming): void;
  showSaliency(pixels28: Uint8Array, result: SaliencyResult, ms: number): void;
  showSaliencyWaiting(message: string): void;
  setCanUndo(canUndo: boolean): void;
  setHasDrawing(hasDrawing: boolean): void;
  setTools(brushSize: number, erase: boolean): void;
}

const EMPTY_INPUT = new Uint8Array(28 * 28);

function labelled(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('span', { class: 'draw-field' }, h('label', { for: id }, label), control);
}

export function createPadView(app: HTMLElement, controls: PadControls): PadView {
  const pad = createPadCanvas(controls.strokes);
  const brush = h('input', {
    id: 'draw-brush',
    type: 'range',
    min: BRUSH_SIZES.min,
    max: BRUSH_SIZES.max,
    step: 2,
    value: BRUSH_SIZES.initial,
  });
  brush.addEventListener('input', () => controls.onBrushSize(Number(brush.value)));
  const eraser = createButton('Eraser', () => controls.onEraser(eraser.ariaPressed !== 'true'), 'secondary');
  eraser.id = 'draw-eraser';
  eraser.title = 'Rub out what you drew (press again to draw)';
  const undo = createButton('Undo', controls.onUndo, 'secondary');
  undo.id = 'draw-undo';
  undo.title = 'Take back the last stroke, clear or paste (Ctrl+Z)';
  const clear = createButton('Clear', controls.onClear, 'secondary');
  clear.id = 'draw-clear';
  const save = createButton('Save as PNG…', controls.onSave, 'secondary');
  save.id = 'draw-save';
  save.title = 'Save the drawing into the workspace as a picture, for "Classify image"';
  const why = createButton('Why?', () => setWhy(why.ariaPressed !== 'true'), 'secondary');
  why.id = 'draw-why';
  why.title = 'Show which pixels the answer rests on';

  const status = h('div', { id: 'draw-status', class: 'status', 'data-kind': 'info', role: 'status' });
  let input = createPixelCanvas(EMPTY_INPUT, 'The 28×28 input the model sees: empty');
  input.id = 'draw-input';
  input.dataset.source = 'empty';
  const inputFigure = h('figure', { class: 'draw-input' }, input, h('figcaption', {}, '28×28 input'));
  const answerLine = h('p', { class: 'draw-answer-line' }, 'Draw something to see the answer.');
  const answer = h('div', { id: 'draw-answer', class: 'draw-answer', 'aria-live': 'off' }, answerLine);
  const saliency = h('div', { id: 'draw-saliency', class: 'saliency', 'data-ready': 'false', hidden: true });
  const timing = h('p', { id: 'draw-timing', class: 'draw-timing' });

  app.replaceChildren(
    h('h1', {}, 'Draw a garment'),
    status,
    h(
      'div',
      { class: 'draw-tools', role: 'toolbar', 'aria-label': 'Drawing tools' },
      labelled('draw-brush', 'Brush size', brush),
      eraser,
      undo,
      clear,
      save,
    ),
    h(
      'div',
      { class: 'draw-layout' },
      h('div', { class: 'draw-surface' }, pad.element),
      h(
        'div',
        { class: 'draw-side' },
        h('div', { class: 'draw-input-row' }, inputFigure, h('div', { class: 'draw-why' }, why)),
        answer,
        saliency,
        timing,
      ),
    ),
  );

  function setWhy(open: boolean): void {
    why.ariaPressed = String(open);
    saliency.hidden = !open;
    controls.onWhy(open);
  }
  setWhy(false);

  const view: PadView = {
    showRaster: (raster) => pad.show(raster),
    showInput(pixels28, source) {
      const label =
        source === 'empty'
          ? 'The 28×28 input the model sees: empty'
          : `The 28×28 input the model sees, made from the ${source === 'pasted' ? 'pasted picture' : 'drawing'}`;
      const next = createPixelCanvas(pixels28 ?? EMPTY_INPUT, label);
      next.id = 'draw-input';
      next.dataset.source = source;
      input.replaceWith(next);
      input = next;
    },
    showAnswer(prediction, model, source) {
      if (!prediction) {
        delete answer.dataset.predicted;
        delete answer.dataset.confidence;
        delete answer.dataset.source;
        answer.replaceChildren(answerLine);
        return;
      }
      const { predictedClass, confidence, probabilities } = prediction;
      answer.dataset.predicted = String(predictedClass);
      answer.dataset.confidence = confidence.toFixed(4);
      if (model) {
        answer.dataset.model = model;
      }
      if (source) {
        answer.dataset.source = source;
      }
      answer.replaceChildren(
        h(
          'p',
          { class: 'draw-answer-line' },
          h('strong', {}, CLASS_NAMES[predictedClass]),
          ` · ${formatPercent(confidence)} confident`,
        ),
        probabilityRows(probabilities, predictedClass),
      );
    },
    showStatus(message, kind = 'info') {
      status.textContent = message;
      status.dataset.kind = kind;
    },
    showProblem(problem) {
      status.replaceChildren(createProblemElement(problem, controls.onAction));
      status.dataset.kind = 'error';
    },
    showTiming({ medianMs, maxMs, updates }) {
      timing.dataset.medianMs = medianMs.toFixed(1);
      timing.dataset.maxMs = maxMs.toFixed(1);
      timing.dataset.updates = String(updates);
      timing.textContent = `Last stroke: the bars followed it ${updates} time(s), ${Math.round(medianMs)} ms after the pen (median; at most ${Math.round(maxMs)} ms).`;
    },
    showSaliency(pixels28, result, ms) {
      saliency.dataset.ms = String(Math.round(ms));
      delete saliency.dataset.error;
      saliency.replaceChildren(createSaliencyImage(pixels28, result), createLegend(result));
      saliency.dataset.ready = 'true';
    },
    showSaliencyWaiting(message) {
      saliency.dataset.ready = 'false';
      saliency.replaceChildren(h('p', { class: 'saliency-status', role: 'status' }, message));
    },
    setCanUndo: (canUndo) => setDisabled(undo, !canUndo),
    setHasDrawing(hasDrawing) {
      setDisabled(clear, !hasDrawing);
      setDisabled(save, !hasDrawing);
    },
    setTools(brushSize, erase) {
      brush.value = String(brushSize);
      eraser.ariaPressed = String(erase);
      pad.element.dataset.tool = erase ? 'eraser' : 'brush';
    },
  };
  return view;
}
