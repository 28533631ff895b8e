// What the panel's vega-lite charts share: the theme's colours for text, axes and grid, and
// drawing a specification into an element in place of the chart drawn there before.
// vega-embed is the renderer tfjs-vis draws with; it comes with tfjs-vis, which pins its version.
import embed from 'vega-embed';
import { rgbToCss, themeColor } from './themeColors';

/** The theme's colour `variable` as CSS, or `fallback` when the theme does not define it. */
export function cssColor(variable: string, fallback: string): string {
  const rgb = themeColor(variable);
  return rgb ? rgbToCss(rgb) : fallback;
}

/** Text, secondary text and grid lines in the editor's theme. */
export function chartColors(): { foreground: string; muted: string; grid: string } {
  return {
    foreground: cssColor('--vscode-foreground', '#616161'),
    muted: cssColor('--vscode-descriptionForeground', '#717171'),
    grid: cssColor('--vscode-editorWidget-border', '#c8c8c8'),
  };
}

/** Draws (or redraws) `spec` into `element`; resolves once it is on the page and sets data-drawn. */
export async function drawVegaLite(element: HTMLElement, spec: unknown): Promise<void> {
  const result = await embed(element, spec as never, {
    renderer: 'svg',
    actions: false,
    // The panel's CSP allows 'unsafe-eval' for this page: vega compiles its expressions.
    ast: false,
  });
  // The previous view's listeners go with it; the element keeps only the new one.
  const previous = (element as { view?: { finalize(): void } }).view;
  previous?.finalize();
  (element as { view?: { finalize(): void } }).view = result.view;
  element.dataset.drawn = 'true';
}
