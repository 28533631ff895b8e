// The surface a person draws on: Pointer Events (mouse, pen and touch alike), turned into points
// in the raster's coordinates, and the raster shown in the editor's colours (its background as
// the paper, its foreground as the ink), repainted when the theme changes. What the strokes mean
// (the steps, the raster) is the page's; this file only listens and paints.
import { PAD_SIDE, type InkRaster, type Point } from '../../src/shared/drawing/pad';
import { h } from '../views/dom';
import { onThemeChange, Rgb, themeColor } from '../views/themeColors';

export interface StrokeListener {
  /** A stroke begins at `point`; `at` is the event's time (performance.now's clock). */
  begin(point: Point, at: number): void;
  /** The stroke goes on through `points`, in order. */
  extend(points: Point[], at: number): void;
  end(): void;
}

export interface PadCanvas {
  element: HTMLCanvasElement;
  /** Shows `raster` at the next frame; repeated calls within a frame paint once. */
  show(raster: InkRaster): void;
}

/** VS Code's dark theme colours, for a theme that does not set them. */
const FALLBACK_PAPER: Rgb = [30, 30, 30];
const FALLBACK_INK: Rgb = [204, 204, 204];

export function createPadCanvas(strokes: StrokeListener): PadCanvas {
  const canvas = h('canvas', {
    id: 'draw-pad',
    class: 'draw-pad',
    width: PAD_SIDE,
    height: PAD_SIDE,
    tabindex: 0,
    role: 'img',
    'aria-label':
      'Drawing pad: draw a garment with the mouse, a pen or a finger, or press Ctrl+V (⌘V on a Mac) to paste a picture',
  });
  const context = canvas.getContext('2d')!;
  let shown: InkRaster | undefined;
  let frame: number | undefined;
  let drawing: number | undefined;

  const toRaster = (event: PointerEvent): Point => {
    const box = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * PAD_SIDE,
      y: ((event.clientY - box.top) / box.height) * PAD_SIDE,
    };
  };

  const paint = () => {
    frame = undefined;
    if (!shown) {
      return;
    }
    const paper = themeColor('--vscode-editor-background') ?? FALLBACK_PAPER;
    const ink = themeColor('--vscode-editor-foreground', '--vscode-foreground') ?? FALLBACK_INK;
    const image = context.createImageData(PAD_SIDE, PAD_SIDE);
    for (let i = 0; i < shown.length; i++) {
      const amount = shown[i] / 255;
      for (let channel = 0; channel < 3; channel++) {
        image.data[i * 4 + channel] = paper[channel] + (ink[channel] - paper[channel]) * amount;
      }
      image.data[i * 4 + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  };

  canvas.addEventListener('pointerdown', (event) => {
    if (drawing !== undefined || (event.pointerType === 'mouse' && event.button !== 0)) {
      return;
    }
    drawing = event.pointerId;
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
    strokes.begin(toRaster(event), event.timeStamp);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (event.pointerId !== drawing) {
      return;
    }
    // The browser merges the moves of one frame into one event; the points in between keep curves round.
    const moves = event.getCoalescedEvents?.() ?? [];
    strokes.extend((moves.length ? moves : [event]).map(toRaster), event.timeStamp);
  });
  const finish = (event: PointerEvent) => {
    if (event.pointerId === drawing) {
      drawing = undefined;
      strokes.end();
    }
  };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointercancel', finish);
  onThemeChange(paint);

  return {
    element: canvas,
    show(raster) {
      shown = raster;
      frame ??= requestAnimationFrame(paint);
    },
  };
}
