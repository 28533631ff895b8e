// The theme's colours for the figures inside the network, and their repaint when the theme
// changes (a canvas keeps the colours it was painted with).
import { onThemeChange, Rgb, themeColor } from '../themeColors';
import type { Palette } from './colorScale';

/** The scale's colours plus what the bar charts draw: the zero line and marks under the bars. */
export interface ThemePalette extends Palette {
  axis: Rgb;
  mark: Rgb;
}

/** VS Code's own colours (Dark Modern), for a theme that does not define one. */
const FALLBACK: ThemePalette = {
  negative: [55, 148, 255],
  zero: [31, 31, 31],
  positive: [241, 76, 76],
  axis: [204, 204, 204],
  mark: [204, 167, 0],
};

let cached: ThemePalette | undefined;

/** The current theme's palette (read once per theme). */
export function themePalette(): ThemePalette {
  cached ??= {
    negative: themeColor('--vscode-charts-blue') ?? FALLBACK.negative,
    zero: themeColor('--vscode-editor-background') ?? FALLBACK.zero,
    positive: themeColor('--vscode-charts-red') ?? FALLBACK.positive,
    axis: themeColor('--vscode-descriptionForeground', '--vscode-foreground') ?? FALLBACK.axis,
    mark: themeColor('--vscode-charts-yellow', '--vscode-charts-orange') ?? FALLBACK.mark,
  };
  return cached;
}

const painters = new WeakMap<Element, (palette: ThemePalette) => void>();
let watching = false;

/** Paints `canvas` now and again whenever the theme changes, with the theme's palette. */
export function paintThemed(canvas: HTMLCanvasElement, paint: (palette: ThemePalette) => void): void {
  painters.set(canvas, paint);
  canvas.dataset.themed = 'true';
  paint(themePalette());
  if (!watching) {
    watching = true;
    onThemeChange(() => {
      cached = undefined;
      const palette = themePalette();
      document.querySelectorAll('canvas[data-themed]').forEach((element) => painters.get(element)?.(palette));
    });
  }
}
