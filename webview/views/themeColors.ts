// Theme colours for what CSS cannot colour: charts that tfjs-vis draws on a canvas.
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

function luminance([r, g, b]: Rgb): number {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** Whether the page is dark: read from the background actually painted, then the theme class. */
export function isDarkTheme(): boolean {
  const background = parseRgb(getComputedStyle(document.body).backgroundColor);
  if (background && background.alpha > 0) {
    return luminance(background.rgb) < 0.5;
  }
  const classes = document.body.classList;
  return (
    classes.contains('vscode-dark') ||
    (classes.contains('vscode-high-contrast') && !classes.contains('vscode-high-contrast-light'))
  );
}

/**
 * The colour that `filter: invert(1) hue-rotate(180deg)` turns into `color`. That filter is its
 * own inverse (invert, then a hue rotation by half a turn, which keeps grey grey), so it is
 * the filter applied once more. Used to pre-compensate series colours on an inverted chart.
 */
export function counterInvert(color: Rgb): Rgb {
  // hue-rotate(180deg) as the Filter Effects specification defines it (cos = -1, sin = 0).
  const m = [
    [-0.574, 1.43, 0.144],
    [0.426, 0.43, 0.144],
    [0.426, 1.43, -0.856],
  ];
  const inverted = color.map((c) => 1 - c / 255);
  const clamp = (v: number) => Math.min(1, Math.max(0, v)) * 255;
  return [0, 1, 2].map((row) =>
    clamp(m[row][0] * inverted[0] + m[row][1] * inverted[1] + m[row][2] * inverted[2]),
  ) as unknown as Rgb;
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
