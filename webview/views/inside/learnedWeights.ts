// What the network learned, drawn from its weights (WeightFigure, see
// src/shared/ml/weightFigures.ts): each hidden unit's incoming weights as a picture, the output
// layer's weights as a map of classes × units, and each convolution's filters. Red is a positive
// weight (ink there raises the unit's score), blue a negative one (ink there lowers it), the
// panel's background zero; one scale per figure, stated under it.
//
// Redrawn during training, the figures keep their elements and only repaint (see
// paintTileCanvas). Once training is over (or for a saved run), every figure holds its weights in
// full (valueText.ts' encoding); while it runs they are left out, to keep redraws cheap:
//   .unit-picture[data-layer][data-unit][data-norm][data-values]   one hidden unit, 784 values
//                        row-major (its kernel column); in order of the norm, largest first
//   .inside-class-map[data-layer][data-shape="classes,inputs"][data-values]   the output layer's
//                        kernel transposed: row c = the weights into class c's score
//   .inside-filters[data-layer][data-shape][data-values]   a convolution's kernel as TF.js
//                        stores it, [height, width, input channels, filters]
import type { WeightFigure } from '../../../src/shared/ml/weightFigures';
import { CLASS_NAMES } from '../../../src/shared/classNames';
import { h } from '../dom';
import { formatCount } from '../format';
import { fullScale } from './colorScale';
import { filterLayout, matrixLayout } from './tileGrid';
import { createTileCanvas, paintTileCanvas } from './valueCanvas';
import { describeValues, encodeValues, formatValue } from './valueText';

const note = (text: string) => h('p', { class: 'inside-note' }, text);

type Figure<K extends WeightFigure['kind']> = Extract<WeightFigure, { kind: K }>;

/** A drawn figure and how to redraw it with newer weights of the same layer. */
interface Drawn<F> {
  element: HTMLElement;
  update(figure: F): void;
}

/** The scale's ends under a figure, updated with it. */
function scaleNote(): { element: HTMLElement; show(scale: number): void } {
  const negative = h('span', { 'data-sign': 'negative' });
  const positive = h('span', { 'data-sign': 'positive' });
  return {
    element: h('p', { class: 'inside-note inside-scale' }, negative, h('span', { 'data-sign': 'zero' }, '0'), positive),
    show(scale) {
      negative.textContent = `blue ${formatValue(-scale)}`;
      positive.textContent = `red ${formatValue(scale)}`;
    },
  };
}

/** Sets or removes a figure's full values. */
function holdValues(element: HTMLElement, values: ArrayLike<number>, withValues: boolean): void {
  if (withValues) {
    element.dataset.values = encodeValues(values);
  } else {
    delete element.dataset.values;
  }
}

function unitPictures(first: Figure<'unitPictures'>, withValues: boolean): Drawn<Figure<'unitPictures'>> {
  const side = Math.round(Math.sqrt(first.shown[0]?.weights.length ?? 0));
  const layout = matrixLayout(side, side);
  const scale = scaleNote();
  const pictures = first.shown.map(() => {
    const caption = h('figcaption');
    const canvas = createTileCanvas(layout, new Float32Array(side * side), { label: '' });
    return {
      element: h('figure', { class: 'unit-picture', 'data-layer': first.layer }, canvas, caption),
      canvas,
      caption,
    };
  });
  const update = (figure: Figure<'unitPictures'>) => {
    const full = Math.max(...figure.shown.map((unit) => fullScale(unit.weights)));
    figure.shown.forEach(({ unit, norm, weights }, i) => {
      const picture = pictures[i];
      Object.assign(picture.element.dataset, { unit: String(unit), norm: String(norm) });
      holdValues(picture.element, weights, withValues);
      picture.caption.textContent = `unit ${unit}`;
      paintTileCanvas(picture.canvas, layout, weights, {
        label: `Unit ${unit} of ${figure.layer}: its ${formatCount(weights.length)} incoming weights as a ${side} × ${side} picture, ${describeValues(weights)}`,
        scale: full,
      });
    });
    scale.show(full);
  };
  update(first);
  const element = h(
    'div',
    { class: 'inside-weights-figure', 'data-kind': 'unitPictures', 'data-layer': first.layer },
    h(
      'h4',
      { class: 'inside-chart-title' },
      `What the units of ${first.layer} look for: ${formatCount(first.shown.length)} of ${formatCount(first.units)}`,
    ),
    note(
      `Each picture is one unit's ${formatCount(side * side)} incoming weights, one per pixel: red where ink raises the unit's score, blue where ink lowers it. ` +
        'These are the units with the largest weights, largest first. The pixels at the border are background in every picture, ' +
        'so their weights never change: the speckle there is the random start training left alone.',
    ),
    h('div', { class: 'unit-pictures' }, ...pictures.map((picture) => picture.element)),
    scale.element,
  );
  return { element, update };
}

function classMap(first: Figure<'classMap'>, withValues: boolean): Drawn<Figure<'classMap'>> {
  const { classes, inputs } = first;
  const layout = matrixLayout(classes, inputs);
  const scale = scaleNote();
  const canvas = createTileCanvas(layout, new Float32Array(classes * inputs), { label: '' });
  const map = h(
    'figure',
    { class: 'inside-class-map', 'data-layer': first.layer, 'data-shape': `${classes},${inputs}` },
    h(
      'div',
      { class: 'class-map-labels', 'aria-hidden': 'true' },
      ...Array.from({ length: classes }, (_, c) => h('span', {}, CLASS_NAMES[c] ?? `class ${c}`)),
    ),
    canvas,
  );
  const update = ({ values }: Figure<'classMap'>) => {
    const full = fullScale(values);
    holdValues(map, values, withValues);
    paintTileCanvas(canvas, layout, values, {
      label: `The weights from the ${formatCount(inputs)} units of the layer before to the ${classes} class scores, one row per class: ${describeValues(values)}`,
      scale: full,
    });
    scale.show(full);
  };
  update(first);
  const element = h(
    'div',
    { class: 'inside-weights-figure', 'data-kind': 'classMap', 'data-layer': first.layer },
    h(
      'h4',
      { class: 'inside-chart-title' },
      `The weights of ${first.layer}: ${classes} classes × ${formatCount(inputs)} units`,
    ),
    map,
    note(
      "Each row is one class's score: a red cell means the unit, when active, speaks for the class; a blue one, against it.",
    ),
    scale.element,
  );
  return { element, update };
}

function filters(first: Figure<'filters'>, withValues: boolean): Drawn<Figure<'filters'>> {
  const [height, width, channels, count] = first.kernelShape;
  const layout = filterLayout(first.kernelShape);
  const scale = scaleNote();
  const canvas = createTileCanvas(layout, new Float32Array(first.kernel.length), { label: '', zoom: 6 });
  const figureElement = h(
    'figure',
    { class: 'inside-filters', 'data-layer': first.layer, 'data-shape': first.kernelShape.join(',') },
    canvas,
  );
  const update = ({ kernel }: Figure<'filters'>) => {
    const full = fullScale(kernel);
    holdValues(figureElement, kernel, withValues);
    paintTileCanvas(canvas, layout, kernel, {
      label: `${count} filters of ${first.layer}, ${height} × ${width} each, on ${channels} input channel(s): ${describeValues(kernel)}`,
      scale: full,
      zoom: 6,
    });
    scale.show(full);
  };
  update(first);
  const element = h(
    'div',
    { class: 'inside-weights-figure', 'data-kind': 'filters', 'data-layer': first.layer },
    h(
      'h4',
      { class: 'inside-chart-title' },
      `The filters of ${first.layer}: ${count} of ${height} × ${width}${channels > 1 ? ` on ${channels} channels` : ''}`,
    ),
    figureElement,
    note(
      channels > 1
        ? `One column per filter, one row per channel of the layer before: a filter weighs each of the ${channels} maps with its own ${height} × ${width} kernel and adds them up.`
        : `One ${height} × ${width} kernel per filter: it slides over the picture and answers where the picture looks like it (edges, corners, strokes).`,
    ),
    scale.element,
  );
  return { element, update };
}

function drawFigure(figure: WeightFigure, withValues: boolean): Drawn<WeightFigure> {
  switch (figure.kind) {
    case 'unitPictures':
      return unitPictures(figure, withValues) as Drawn<WeightFigure>;
    case 'classMap':
      return classMap(figure, withValues) as Drawn<WeightFigure>;
    case 'filters':
      return filters(figure, withValues) as Drawn<WeightFigure>;
  }
}

/** What must stay the same for figures to be redrawn in place: the layers, kinds and sizes. */
function structureOf(weights: readonly WeightFigure[]): string {
  return weights
    .map((figure) => {
      const size =
        figure.kind === 'unitPictures'
          ? figure.shown.length
          : figure.kind === 'classMap'
            ? `${figure.classes}x${figure.inputs}`
            : figure.kernelShape.join('x');
      return `${figure.kind}:${figure.layer}:${size}`;
    })
    .join('|');
}

export interface LearnedWeights {
  readonly element: HTMLElement;
  /** Redraws newer weights of the same layers in place; false (nothing drawn) when the layers differ. */
  update(weights: readonly WeightFigure[], caption: string): boolean;
}

/**
 * The figures for `weights`; `caption` says when they were read (e.g. during which epoch).
 * `withValues` puts the weights in full on each figure (see the header).
 */
export function createLearnedWeights(
  weights: readonly WeightFigure[],
  caption: string,
  withValues: boolean,
): LearnedWeights {
  const structure = structureOf(weights);
  const drawn = weights.map((figure) => drawFigure(figure, withValues));
  const captionElement = h('p', { class: 'inside-weights-caption' }, caption);
  return {
    element: h('div', { class: 'inside-weights' }, captionElement, ...drawn.map((figure) => figure.element)),
    update(next, nextCaption) {
      if (structureOf(next) !== structure) {
        return false;
      }
      next.forEach((figure, i) => drawn[i].update(figure));
      captionElement.textContent = nextCaption;
      return true;
    },
  };
}
