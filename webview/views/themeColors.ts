// Theme colours for what CSS cannot colour: the charts' marks and axes, drawn by vega.
// VS Code puts its theme in CSS variables on <html> and a theme class on <body>; both change
// live when the user switches themes.

export type Rgb = readonly [number, number, number];

/** [55, 148, 255] -> "rgb(55, 148, 255)". */
export function rgbToCss([r, g, b]: Rgb): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}

function parseRgb(css: string): { rgb: Rgb; alpha: number } | undefined {
  const match = /rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:\s*[,/]\s*([\d.]+))?\)/.exec(css);
  if (!match) {
    return undefined;
  }
  return {
    rgb: [Number(match[1]), Number(match[2]), Number(match[3])],
    alpha: match[4] === undefined ? 1 : Number(match[4]),
  };
}

/**
 * The first of `variables` the theme defines, as rgb. The browser parses the value (hex, rgb,
 * named), so every notation a theme may use works. Undefined when none is defined.
 */
export function themeColor(...variables: string[]): Rgb | undefined {
  const root = getComputedStyle(document.documentElement);
  const value = variables.map((name) => root.getPropertyValue(name).trim()).find((v) => v !== '');
  if (!value) {
    return undefined;
  }
  const probe = document.createElement('span');
  probe.style.display = 'none';
  probe.style.color = value;
  document.body.append(probe);
  const parsed = parseRgb(getComputedStyle(probe).color);
  probe.remove();
  return parsed?.rgb;
}

/**
 * Calls `listener` (debounced) when the theme changes. Timers rather than animation frames,
 * because frames stop while the panel is hidden and the change would be missed.
 */
export function onThemeChange(listener: () => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const observer = new MutationObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(listener, 100);
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}
