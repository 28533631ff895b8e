// Writes the walkthrough's pictures, media/walkthrough/*.svg, from the installed data set:
//
//   node esbuild.mjs --tests && node out/test/harness/walkthroughMedia.js
//
// Every colour is a theme variable of the editor (foreground, chart colours) with a fallback, so
// the pictures read in light, dark and high-contrast themes alike (the walkthrough draws an SVG
// inline, where the variables apply); a unit test holds them to that. Garments are the data set's
// own test pictures, each pixel's ink drawn as the opacity of the foreground colour. The curves are
// an illustration in the shape of a typical run, not a measurement.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASS_NAMES } from '../../src/shared/classNames';
import { loadSystemTestSet } from './fashionSamples';
import { repoRoot } from './paths';

const WIDTH = 520;
const HEIGHT = 300;
const FOREGROUND = 'var(--vscode-foreground, #cccccc)';
const MUTED = 'var(--vscode-descriptionForeground, #9d9d9d)';
const BLUE = 'var(--vscode-charts-blue, #3794ff)';
const ORANGE = 'var(--vscode-charts-orange, #d18616)';
const PURPLE = 'var(--vscode-charts-purple, #b180d7)';
const GREEN = 'var(--vscode-charts-green, #89d185)';
/** Ink below this is left out: the background of a data-set picture is 0. */
const OPACITY_LEVELS = 8;

const testSet = loadSystemTestSet();

function svg(title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" fill="none" ` +
    `font-family="var(--vscode-font-family, sans-serif)">\n<title>${title}</title>\n${body}</svg>\n`
  );
}

const text = (x: number, y: number, content: string, attributes = '') =>
  `<text x="${x}" y="${y}" fill="${FOREGROUND}" font-size="12" ${attributes}>${content}</text>\n`;

/** A 28×28 test picture at (x, y), `scale` units a pixel: one path per ink level. */
function garment(index: number, x: number, y: number, scale: number): string {
  const pixels = testSet.pixelsOf(index);
  const paths: string[] = Array.from({ length: OPACITY_LEVELS }, () => '');
  for (let row = 0; row < 28; row++) {
    for (let col = 0; col < 28; col++) {
      const level = Math.round((pixels[row * 28 + col] / 255) * (OPACITY_LEVELS - 1));
      if (level > 0) {
        paths[level] += `M${col} ${row}h1v1h-1z`;
      }
    }
  }
  const body = paths
    .map((d, level) =>
      d ? `<path d="${d}" fill="${FOREGROUND}" fill-opacity="${(level / (OPACITY_LEVELS - 1)).toFixed(2)}"/>` : '',
    )
    .join('');
  const frame = `<rect x="-0.5" y="-0.5" width="29" height="29" stroke="${MUTED}" stroke-width="${1 / scale}"/>`;
  return `<g transform="translate(${x} ${y}) scale(${scale})">${frame}${body}</g>\n`;
}

function dataSet(): string {
  let body = text(20, 28, 'Fashion-MNIST: 60,000 training and 10,000 test pictures, 28 × 28 pixels', 'font-size="14"');
  CLASS_NAMES.forEach((name, label) => {
    const col = label % 5;
    const row = Math.floor(label / 5);
    const x = 28 + col * 98;
    const y = 50 + row * 122;
    body += garment(testSet.firstOfClass(label), x, y, 2.8);
    body += text(x + 39, y + 96, name, 'text-anchor="middle"');
  });
  return svg('Ten pictures of the data set, one of each class', body);
}

interface Series {
  values: number[];
  color: string;
  label: string;
  dashed?: boolean;
}

/** A line chart over epochs 1..epochs, with its axis labels and a legend. */
function chart(
  series: Series[],
  epochs: number,
  low: number,
  high: number,
  yLabel: string,
  legend: { x: number; y: number },
): string {
  const left = 60;
  const right = WIDTH - 30;
  const top = 40;
  const bottom = HEIGHT - 50;
  const xOf = (epoch: number) => left + ((epoch - 1) / (epochs - 1)) * (right - left);
  const yOf = (value: number) => bottom - ((value - low) / (high - low)) * (bottom - top);
  let body = `<path d="M${left} ${top}V${bottom}H${right}" stroke="${MUTED}"/>\n`;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    body += text(xOf(epoch), bottom + 18, String(epoch), 'text-anchor="middle"');
  }
  body += text((left + right) / 2, bottom + 38, 'epoch', 'text-anchor="middle"');
  for (const value of [low, (low + high) / 2, high]) {
    body += text(left - 8, yOf(value) + 4, value.toFixed(2), 'text-anchor="end"');
  }
  body += text(left, top - 14, yLabel);
  series.forEach(({ values, color, label, dashed }, i) => {
    const points = values.map((value, epoch) => `${xOf(epoch + 1).toFixed(1)},${yOf(value).toFixed(1)}`).join(' ');
    const dash = dashed ? ' stroke-dasharray="6 4"' : '';
    body += `<polyline points="${points}" stroke="${color}" stroke-width="3"${dash}/>\n`;
    const legendX = legend.x;
    const legendY = legend.y + i * 20;
    body += `<path d="M${legendX} ${legendY}h24" stroke="${color}" stroke-width="3"${dash}/>\n`;
    body += text(legendX + 32, legendY + 4, label);
  });
  return body;
}

function training(): string {
  return svg(
    'Loss falling and accuracy rising over five epochs',
    chart(
      [
        { values: [0.823, 0.865, 0.878, 0.886, 0.893], color: BLUE, label: 'accuracy' },
        { values: [0.853, 0.866, 0.872, 0.878, 0.877], color: GREEN, label: 'validation accuracy', dashed: true },
        { values: [0.5, 0.37, 0.335, 0.31, 0.29], color: ORANGE, label: 'loss' },
      ],
      5,
      0.2,
      1,
      'The tutorial’s network, five epochs',
      { x: 300, y: 130 },
    ),
  );
}

function comparison(): string {
  return svg(
    'The validation accuracy of two runs',
    chart(
      [
        { values: [0.853, 0.866, 0.872, 0.878, 0.877], color: BLUE, label: 'MLP, 5 epochs' },
        {
          values: [0.85, 0.876, 0.887, 0.895, 0.9, 0.903, 0.906, 0.908, 0.909, 0.91],
          color: PURPLE,
          label: 'CNN, 10 epochs',
          dashed: true,
        },
      ],
      10,
      0.84,
      0.92,
      'Validation accuracy of two runs',
      { x: 320, y: 200 },
    ),
  );
}

const ANKLE_BOOT = 9;
const bootIndex = testSet.firstOfClass(ANKLE_BOOT);

function inside(): string {
  let body = garment(bootIndex, 20, 100, 3.2);
  body += text(65, 210, '28 × 28', 'text-anchor="middle"');
  // Flatten: a column of inputs, then the hidden layer, then ten outputs.
  const layers = [
    { x: 170, count: 14, label: '784 inputs' },
    { x: 290, count: 10, label: '256 hidden (ReLU)' },
    { x: 410, count: 10, label: '10 classes' },
  ];
  const yOf = (count: number, i: number) => 60 + ((i + 0.5) * 200) / count;
  for (let l = 0; l + 1 < layers.length; l++) {
    const [from, to] = [layers[l], layers[l + 1]];
    for (let i = 0; i < from.count; i++) {
      for (let j = 0; j < to.count; j++) {
        body += `<path d="M${from.x} ${yOf(from.count, i).toFixed(1)}L${to.x} ${yOf(to.count, j).toFixed(1)}" stroke="${MUTED}" stroke-opacity="0.25"/>`;
      }
    }
    body += '\n';
  }
  body += `<path d="M115 145H150" stroke="${FOREGROUND}" stroke-width="2"/><path d="M150 140l8 5l-8 5z" fill="${FOREGROUND}"/>\n`;
  for (const { x, count, label } of layers) {
    for (let i = 0; i < count; i++) {
      const highlighted = label === '10 classes' && i === ANKLE_BOOT;
      body += `<circle cx="${x}" cy="${yOf(count, i).toFixed(1)}" r="6" fill="${highlighted ? GREEN : BLUE}" stroke="${FOREGROUND}"/>`;
    }
    body += '\n' + text(x, 285, label, 'text-anchor="middle"');
  }
  CLASS_NAMES.forEach((name, i) => {
    body += text(424, yOf(10, i) + 4, name, i === ANKLE_BOOT ? 'font-weight="bold"' : '');
  });
  return svg('A picture flattened to 784 inputs, 256 hidden units and ten outputs', body);
}

function classify(): string {
  // An illustration of a confident answer, in the shape the results panel shows.
  const probabilities = [0.0, 0.0, 0.0, 0.0, 0.0, 0.012, 0.0, 0.021, 0.001, 0.966];
  let body = garment(bootIndex, 24, 60, 5.4);
  body += text(100, 240, 'ankle-boot-0.png', 'text-anchor="middle"');
  const left = 300;
  const barWidth = 190;
  CLASS_NAMES.forEach((name, i) => {
    const y = 44 + i * 24;
    const top = i === ANKLE_BOOT;
    body += text(left - 8, y + 12, name, `text-anchor="end"${top ? ' font-weight="bold"' : ''}`);
    body += `<rect x="${left}" y="${y}" width="${barWidth}" height="16" stroke="${MUTED}"/>`;
    const width = Math.max(1, probabilities[i] * barWidth);
    body += `<rect x="${left}" y="${y}" width="${width.toFixed(1)}" height="16" fill="${top ? GREEN : FOREGROUND}"${top ? '' : ' fill-opacity="0.6"'}/>\n`;
  });
  body += text(left + barWidth, 290, 'Ankle boot, 96.6%', 'text-anchor="end" font-weight="bold"');
  return svg('A picture of an ankle boot and the probability of each class', body);
}

const folder = join(repoRoot, 'media', 'walkthrough');
mkdirSync(folder, { recursive: true });
const pictures: Record<string, string> = {
  'data.svg': dataSet(),
  'train.svg': training(),
  'inside.svg': inside(),
  'classify.svg': classify(),
  'compare.svg': comparison(),
};
for (const [name, content] of Object.entries(pictures)) {
  writeFileSync(join(folder, name), content);
  console.log(`${join(folder, name)}: ${content.length} bytes`);
}
