// Drawing on the "Draw a garment" pad with the mouse, as a person does: real pointer events,
// for the end-to-end test and the README's screenshot.
import type { FrameLocator } from 'playwright-core';
import { PAD_SIDE } from '../../src/shared/drawing/pad';
import type { Workbench } from '../harness/browser';

/** A trouser's outline in pad pixels: waist, outer legs, hems, inner legs up to the crotch. */
export const TROUSER: [number, number][] = [
  [95, 30],
  [185, 30],
  [195, 250],
  [160, 250],
  [140, 110],
  [120, 250],
  [85, 250],
  [95, 30],
];

/** One stroke through `points` (pad pixels) with the mouse button held, `steps` moves per segment. */
export async function drawStroke(
  workbench: Workbench,
  pad: FrameLocator,
  points: [number, number][],
  steps = 8,
): Promise<void> {
  const box = await pad.locator('#draw-pad').boundingBox();
  if (!box) {
    throw new Error('The drawing pad is not on screen.');
  }
  const scale = box.width / PAD_SIDE;
  const at = ([x, y]: [number, number]) => [box.x + x * scale, box.y + y * scale] as const;
  const { mouse } = workbench.page;
  await mouse.move(...at(points[0]));
  await mouse.down();
  for (const point of points.slice(1)) {
    await mouse.move(...at(point), { steps });
  }
  await mouse.up();
}
