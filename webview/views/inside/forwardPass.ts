// One picture's way through the network (a NetworkTrace, see src/shared/ml/networkTrace.ts), a
// figure per layer, drawn by what the layer's values are rather than by preset, so the MLP, the
// CNN and a changed layout all draw: a picture, feature maps (one tile per channel), a row of
// numbers, the units of a dense layer as bars before and after their activation, the units
// Dropout switches off in a training step, and the ten scores and probabilities.
//
// Every figure holds its numbers in full (valueText.ts' encoding), in TF.js' order:
//   .inside-layer[data-layer][data-class][data-shape]   one per layer, and data-layer="input"
//     data-output          the layer's output for the picture (as predict computes it)
//     data-pre-activation  a Dense layer's output before its activation (scores, logits)
//     data-mask, data-rate Dropout's mask in one training step (0 = switched off) and its rate
//   #inside-probability-sum[data-value]   the sum of the probabilities, shown as 1.000
//   #inside-dropout-step    "Another training step": draws Dropout's mask again
import type { LayerTrace, NetworkTrace, TracedValues } from '../../../src/shared/ml/networkTrace';
import { CLASS_NAMES } from '../../../src/shared/classNames';
import { createButton } from '../../ui/toolkit';
import { h } from '../dom';
import { formatCount, formatPercent } from '../format';
import { featureMapLayout, matrixLayout } from './tileGrid';
import { createBarChart, createTileCanvas } from './valueCanvas';
import { describeValues, encodeValues, formatValue, largestIndices, summarize } from './valueText';

/** Draws Dropout's mask again, as another training step would: the trace of the same picture. */
export type RetraceDropout = () => Promise<NetworkTrace>;

const className = (label: number) => CLASS_NAMES[label] ?? `class ${label}`;
const shapeText = (shape: readonly number[]) => shape.join(' × ');
/** Activations as the tutorial writes them. */
const activationName = (activation: string | undefined) => (activation === 'relu' ? 'ReLU' : (activation ?? ''));

function layerFigure(
  name: string,
  layerClass: string,
  title: string,
  values: Record<string, ArrayLike<number>>,
  shape: readonly number[],
  ...content: (Node | string)[]
): HTMLElement {
  const figure = h(
    'figure',
    { class: 'inside-layer', 'data-layer': name, 'data-class': layerClass, 'data-shape': shape.join(',') },
    h('figcaption', { class: 'inside-layer-caption' }, h('strong', {}, title)),
    ...content,
  );
  for (const [key, array] of Object.entries(values)) {
    figure.setAttribute(`data-${key}`, encodeValues(array));
  }
  return figure;
}

const note = (...text: (Node | string)[]) => h('p', { class: 'inside-note' }, ...text);

/** "Units 12, 200 and 7 are the most active": which units stand out, for the text alternative. */
function strongest(values: ArrayLike<number>): string {
  const top = largestIndices(values, 3).filter((i) => values[i] > 0);
  return top.length ? `; largest: ${top.map((i) => `unit ${i} (${formatValue(values[i])})`).join(', ')}` : '';
}

function inputFigure(input: TracedValues): HTMLElement {
  return layerFigure(
    'input',
    'Input',
    `The picture · ${shapeText(input.shape)}`,
    { output: input.values },
    input.shape,
    createTileCanvas(matrixLayout(input.shape[0], input.shape[1]), input.values, {
      label: `The model's input: ${input.shape[0]} × ${input.shape[1]} pixels, ${describeValues(input.values)}`,
      gray: true,
      zoom: 4,
    }),
    note('Each pixel is a number from 0 (background) to 1 (ink).'),
  );
}

function mapsCaption(layer: LayerTrace, previous: TracedValues): string {
  const [height, width, channels] = layer.output.shape;
  const size = `${height} × ${width}`;
  switch (layer.className) {
    case 'Conv2D':
      return (
        `${channels} filters slide over the ${previous.shape[2] ?? 1} channel(s) before: ${channels} feature maps of ${size}` +
        (layer.activation === 'relu' ? ', negative values already cut to 0 by ReLU.' : '.')
      );
    case 'MaxPooling2D':
      return `Max pooling keeps the largest value of each block: ${channels} maps of ${size}. Nothing is learned here.`;
    case 'Reshape':
      return `The picture as ${channels} channel of ${size}, the form convolutions read.`;
    default:
      return `${channels} maps of ${size}.`;
  }
}

function mapsFigure(layer: LayerTrace, previous: TracedValues, rawPicture: boolean): HTMLElement {
  const { shape, values } = layer.output;
  return layerFigure(
    layer.name,
    layer.className,
    `${layer.name} · ${layer.className} · ${shapeText(shape)}`,
    { output: values },
    shape,
    createTileCanvas(featureMapLayout(shape), values, {
      label: `${layer.name}: ${shape[2]} feature maps of ${shape[0]} × ${shape[1]}, ${describeValues(values)}`,
      gray: rawPicture,
      // Each map about 50 CSS pixels wide, whatever its size: 26 × 26 at 2 pixels a value, 5 × 5 at 10.
      zoom: Math.max(2, Math.round(50 / shape[1])),
    }),
    note(mapsCaption(layer, previous)),
  );
}

function flattenFigure(layer: LayerTrace, previous: TracedValues, rawPicture: boolean): HTMLElement {
  const { shape, values } = layer.output;
  const count = formatCount(values.length);
  const text = rawPicture
    ? `Flatten: the ${previous.shape[0]} rows of the picture one after another, a single row of ${count} numbers. Nothing is learned here.`
    : `Flatten: the ${shapeText(previous.shape)} values in one row of ${count} numbers for the dense layers. Nothing is learned here.`;
  return layerFigure(
    layer.name,
    layer.className,
    `${layer.name} · Flatten · ${count}`,
    { output: values },
    shape,
    h(
      'div',
      { class: 'inside-strip' },
      createTileCanvas(matrixLayout(1, values.length), values, {
        label: `${layer.name}: one row of ${describeValues(values)}`,
        gray: rawPicture,
      }),
    ),
    note(text),
  );
}

/** A Dense layer with ReLU (or another activation): its scores, then what the activation makes of them. */
function denseFigure(layer: LayerTrace): HTMLElement {
  const { shape, values } = layer.output;
  const pre = layer.preActivation?.values;
  const units = formatCount(values.length);
  const range = summarize(pre ?? values);
  const charts: Node[] = [];
  if (pre) {
    const negatives = summarize(pre).negatives;
    charts.push(
      h('h4', { class: 'inside-chart-title' }, `Before ${activationName(layer.activation)}: ${units} scores`),
      createBarChart(pre, {
        label: `${layer.name} before ${activationName(layer.activation)}: ${describeValues(pre)}${strongest(pre)}`,
        range,
      }),
      note(
        `Each unit adds up all ${formatCount(inputsOf(layer))} inputs, each times its own weight, plus a bias: every input talks to every unit. ` +
          `${formatCount(negatives)} of the ${units} scores are negative (blue).`,
      ),
    );
  }
  const active = values.length - summarize(values).zeros;
  charts.push(
    h('h4', { class: 'inside-chart-title' }, pre ? `After ${activationName(layer.activation)}` : `${units} values`),
    createBarChart(values, {
      label: `${layer.name}${pre ? ` after ${activationName(layer.activation)}` : ''}: ${describeValues(values)}, ${formatCount(active)} above 0${strongest(values)}`,
      range,
      ghosts: pre,
    }),
  );
  if (pre && layer.activation === 'relu') {
    charts.push(
      note(
        `ReLU sets every negative score to 0 (the faint bars are what it cut) and passes the others unchanged: ` +
          `${formatCount(active)} of ${units} units are active for this picture. Without it, the layers together could only draw straight lines between classes.`,
      ),
    );
  }
  return layerFigure(
    layer.name,
    layer.className,
    `${layer.name} · Dense · ${units} units${layer.activation ? `, ${activationName(layer.activation)}` : ''}`,
    pre ? { output: values, 'pre-activation': pre } : { output: values },
    shape,
    ...charts,
  );
}

/** The inputs of a Dense layer: its parameters less one bias per unit, over its units. */
function inputsOf(layer: LayerTrace): number {
  const units = layer.output.values.length;
  return Math.round((layer.params - units) / units);
}

/** The output layer: ten scores (logits), their probabilities after softmax, and the probabilities' sum. */
function softmaxFigure(layer: LayerTrace): HTMLElement {
  const probabilities = layer.output.values;
  const logits = layer.preActivation?.values ?? new Float32Array(probabilities.length);
  const predicted = largestIndices(probabilities, 1)[0];
  const sum = Array.from(probabilities).reduce((a, b) => a + b, 0);
  const logitScale = Math.max(...Array.from(logits, Math.abs)) || 1;
  const rows = Array.from(probabilities, (p, label) => {
    const row = h(
      'tr',
      { 'data-class': label, 'data-predicted': String(label === predicted) },
      h('th', { scope: 'row' }, className(label)),
      h('td', { class: 'number mono' }, formatValue(logits[label])),
      h(
        'td',
        { class: 'inside-logit-bar', 'aria-hidden': 'true' },
        h('span', { 'data-sign': logits[label] < 0 ? 'negative' : 'positive' }),
      ),
      h('td', { class: 'number mono' }, formatValue(p)),
      h('td', { class: 'inside-probability-bar', 'aria-hidden': 'true' }, h('span')),
    );
    row.style.setProperty('--logit', (Math.abs(logits[label]) / logitScale).toFixed(4));
    row.style.setProperty('--p', Math.max(0, Math.min(1, p)).toFixed(4));
    return row;
  });
  const table = h(
    'table',
    { class: 'data-table inside-scores' },
    h('caption', {}, 'Scores and probabilities, one per class'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Class'),
        h('th', { scope: 'col', colspan: 2 }, 'Score (logit)'),
        h('th', { scope: 'col', colspan: 2 }, 'Probability'),
      ),
    ),
    h('tbody', {}, ...rows),
    h(
      'tfoot',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'row', colspan: 3 }, 'Sum of the probabilities'),
        h('td', { id: 'inside-probability-sum', class: 'number mono', 'data-value': String(sum) }, sum.toFixed(3)),
        h('td'),
      ),
    ),
  );
  return layerFigure(
    layer.name,
    layer.className,
    `${layer.name} · Dense · ${formatCount(probabilities.length)} units, softmax`,
    { output: probabilities, 'pre-activation': logits },
    layer.output.shape,
    h('div', { class: 'table-scroll' }, table),
    note(
      `Each class gets a score from all ${formatCount(inputsOf(layer))} units before it. Softmax turns the scores into probabilities: ` +
        `e to the power of each score, divided by the sum of them all, so they are positive and add up to 1. ` +
        `The answer is the most probable class: ${className(predicted)}, ${formatPercent(probabilities[predicted])}.`,
    ),
  );
}

/** Dropout in one training step: which units it switched off, and the values the next layer then gets. */
function dropoutFigure(layer: LayerTrace, previous: TracedValues, retrace?: RetraceDropout): HTMLElement {
  const figure = layerFigure(layer.name, layer.className, '', {}, layer.output.shape);
  const title = figure.querySelector('strong')!;
  const content = h('div', { class: 'inside-dropout' });
  figure.append(content);
  const draw = (mask: Float32Array, rate: number) => {
    const dropped = Float32Array.from(previous.values, (value, i) => value * mask[i]);
    const off = mask.reduce((count, kept) => count + (kept === 0 ? 1 : 0), 0);
    const units = formatCount(mask.length);
    title.textContent = `${layer.name} · Dropout · rate ${rate}`;
    figure.dataset.mask = encodeValues(mask);
    figure.dataset.rate = String(rate);
    content.replaceChildren(
      h('h4', { class: 'inside-chart-title' }, 'In one training step'),
      createBarChart(dropped, {
        label: `${layer.name} in a training step: ${formatCount(off)} of ${units} units switched off (marked), the others multiplied by ${formatValue(1 / (1 - rate), 2)}; ${describeValues(dropped)}`,
        range: summarize(dropped),
        marks: mask.map((kept) => (kept === 0 ? 1 : 0)),
      }),
      note(
        `In this training step Dropout switched off ${formatCount(off)} of the ${units} units (marked under the bars) and multiplied the others by 1 / (1 − ${rate}) = ${formatValue(1 / (1 - rate), 2)}, ` +
          `so the next layer gets about as much in total. Every step draws other units, so no unit can count on another. ` +
          `When predicting, as everywhere else in this figure, Dropout passes all ${units} values through unchanged.`,
      ),
    );
  };
  draw(layer.dropout!.mask, layer.dropout!.rate);
  if (retrace) {
    const again = createButton(
      'Another training step',
      () => {
        void retrace().then((trace) => {
          const same = trace.layers.find((other) => other.name === layer.name);
          if (same?.dropout) {
            draw(same.dropout.mask, same.dropout.rate);
          }
        });
      },
      'secondary',
    );
    again.id = 'inside-dropout-step';
    figure.append(again);
  }
  return figure;
}

function otherFigure(layer: LayerTrace): HTMLElement {
  const { shape, values } = layer.output;
  return layerFigure(
    layer.name,
    layer.className,
    `${layer.name} · ${layer.className} · ${shapeText(shape)}`,
    { output: values },
    shape,
    note(`${describeValues(values)}.`),
  );
}

function figureFor(layer: LayerTrace, previous: TracedValues, rawPicture: boolean, retrace?: RetraceDropout) {
  const rank = layer.output.shape.length;
  if (layer.dropout && rank === 1) {
    return dropoutFigure(layer, previous, retrace);
  }
  if (rank === 3) {
    return mapsFigure(layer, previous, rawPicture);
  }
  if (rank !== 1) {
    return otherFigure(layer);
  }
  if (layer.className === 'Flatten') {
    return flattenFigure(layer, previous, rawPicture);
  }
  if (layer.className === 'Dense' && layer.activation === 'softmax') {
    return softmaxFigure(layer);
  }
  return denseFigure(layer);
}

/** The figures of `trace`, input first; `retrace` gives Dropout's figure its "Another training step". */
export function createForwardPass(trace: NetworkTrace, retrace?: RetraceDropout): HTMLElement {
  let previous = trace.input;
  // Until the first layer with weights, the values are the picture's pixels and are drawn in gray.
  let rawPicture = true;
  const figures = [inputFigure(trace.input)];
  for (const layer of trace.layers) {
    rawPicture &&= layer.params === 0 && layer.className !== 'Dropout';
    figures.push(figureFor(layer, previous, rawPicture, retrace));
    previous = layer.output;
  }
  return h('div', { class: 'inside-forward' }, ...figures);
}
