// Memory while "Classify image" works through a folder of large camera photos, in a real editor:
// the extension host (shared by every extension of the window) and the browser's renderers (the
// results panel's among them) are sampled every 200 ms from /proc while the folder is classified,
// and the peaks are printed beside the targets (host growth ≤ 200 MB, renderer ≤ 1 GB). Then a
// folder of the largest pictures classified at all (40 megapixels), whose decoding alone is 160 MB
// each: the renderer's peak for it shows that they decode one at a time.
//
//   npm run --silent bench:memory                  200 JPEGs of 4000 × 3000, then 8 of 8000 × 5000
//   npm run --silent bench:memory -- --photos 50 --large 4   fewer
//
// The photos are made once in Chromium (noise over a gradient, JPEG at quality 0.85, about 2 MB
// each, like a phone's) and kept in test-output/bench/photos; a model is seeded into the editor's
// storage, so nothing is trained. Editors and browsers already running are left out of the
// samples. Figures go to test-output/bench/classify-memory.json.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startEditorSession } from '../e2e/editorSession';
import { chromiumPath, outputRoot } from '../harness/paths';
import { seedTrainedModel } from '../harness/seedModel';

const HOST_GROWTH_TARGET_MB = 200;
const RENDERER_TARGET_MB = 1024;
/** A phone's photo. */
const PHOTO = { width: 4000, height: 3000, distinct: 8, folder: 'photos', prefix: 'photo' };
/** The largest picture classified at all (MAX_IMAGE_PIXELS): 40 megapixels. */
const LARGE = { width: 8000, height: 5000, distinct: 2, folder: 'large-photos', prefix: 'large' };
type PhotoKind = typeof PHOTO;

const { values: args } = parseArgs({
  options: { photos: { type: 'string', default: '200' }, large: { type: 'string', default: '8' } },
});
const photoCount = Number(args.photos);
const largeCount = Number(args.large);
const benchDir = join(outputRoot, 'bench');
const photoDir = join(benchDir, 'photos');

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** The part of a page's OffscreenCanvas and its 2-D context that makePhotos uses. */
interface PageCanvas {
  getContext(kind: '2d'): {
    fillStyle: unknown;
    createLinearGradient(
      x0: number,
      y0: number,
      x1: number,
      y1: number,
    ): { addColorStop(at: number, color: string): void };
    fillRect(x: number, y: number, width: number, height: number): void;
    getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
    putImageData(image: { data: Uint8ClampedArray }, x: number, y: number): void;
  };
  convertToBlob(options: { type: string; quality: number }): Promise<Blob>;
}

/** Makes the distinct photos of a kind once, in Chromium, which has a JPEG encoder. */
async function makePhotos(kind: PhotoKind): Promise<string[]> {
  const names = Array.from({ length: kind.distinct }, (_, i) => join(photoDir, `${kind.prefix}-${i}.jpg`));
  if (names.every((name) => existsSync(name))) {
    return names;
  }
  mkdirSync(photoDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath });
  try {
    const page = await browser.newPage();
    for (const [i, name] of names.entries()) {
      const base64 = await page.evaluate(
        async ({ width, height, seed }) => {
          // Runs in the page; this file is type-checked against Node's globals, hence PageCanvas.
          const Canvas = (globalThis as unknown as { OffscreenCanvas: new (w: number, h: number) => PageCanvas })
            .OffscreenCanvas;
          const canvas = new Canvas(width, height);
          const context = canvas.getContext('2d');
          const gradient = context.createLinearGradient(0, 0, width, height);
          gradient.addColorStop(0, `hsl(${seed * 45}, 40%, 70%)`);
          gradient.addColorStop(1, `hsl(${seed * 45 + 120}, 30%, 30%)`);
          context.fillStyle = gradient;
          context.fillRect(0, 0, width, height);
          const image = context.getImageData(0, 0, width, height);
          let state = seed + 1;
          for (let p = 0; p < image.data.length; p += 4) {
            state = (state * 1103515245 + 12345) >>> 0;
            const noise = ((state >>> 16) & 15) - 8;
            image.data[p] += noise;
            image.data[p + 1] += noise;
            image.data[p + 2] += noise;
          }
          context.putImageData(image, 0, 0);
          const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let text = '';
          for (let b = 0; b < bytes.length; b += 0x8000) {
            text += String.fromCharCode(...bytes.subarray(b, b + 0x8000));
          }
          return btoa(text);
        },
        { width: kind.width, height: kind.height, seed: i },
      );
      writeFileSync(name, Buffer.from(base64, 'base64'));
    }
  } finally {
    await browser.close();
  }
  return names;
}

interface ProcessSample {
  pid: number;
  rssMb: number;
}

/** Processes whose command line contains `marker`, with their resident memory. */
function processesWith(marker: string): ProcessSample[] {
  const found: ProcessSample[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!commandLine.includes(marker)) {
        continue;
      }
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (rss) {
        found.push({ pid: Number(entry), rssMb: Number(rss[1]) / 1024 });
      }
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return found;
}

/** Processes that ran before this script's editor started: another editor's or browser's. */
const existing = new Set<number>();

function ours(marker: string): ProcessSample[] {
  return processesWith(marker).filter((p) => !existing.has(p.pid));
}

/** The extension host of the editor this script starts. */
const extensionHost = () => ours('--type=extensionHost');
/** Its browser's renderers: the workbench and its webviews, however the browser groups them. */
const renderers = () => ours('--type=renderer');

/** The largest resident size among `samples`, refusing to measure nothing. */
function largest(samples: ProcessSample[], what: string): number {
  if (samples.length === 0) {
    throw new Error(`No ${what} process found to measure.`);
  }
  return Math.max(...samples.map((p) => p.rssMb));
}

class Peaks {
  host = 0;
  renderer = 0;
  rendererPid = 0;
  private timer: NodeJS.Timeout | undefined;

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    this.host = Math.max(this.host, ...extensionHost().map((p) => p.rssMb));
    for (const renderer of renderers()) {
      if (renderer.rssMb > this.renderer) {
        this.renderer = renderer.rssMb;
        this.rendererPid = renderer.pid;
      }
    }
  }
}

/** Copies `count` photos of `kind` into a folder of the workspace; returns their bytes. */
function fillFolder(workspace: string, kind: PhotoKind, distinct: string[], count: number): number {
  const folder = join(workspace, kind.folder);
  mkdirSync(folder, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const target = join(folder, `IMG_${String(i).padStart(4, '0')}.jpg`);
    copyFileSync(distinct[i % distinct.length], target);
    bytes += statSync(target).size;
  }
  return bytes;
}

/** Classifies a folder, sampling memory all along; its figures. */
async function classifyFolder(
  session: Awaited<ReturnType<typeof startEditorSession>>,
  kind: PhotoKind,
  count: number,
  folderBytes: number,
) {
  const { workbench } = session;
  const hostBefore = largest(extensionHost(), 'extension host');
  const rendererBefore = largest(renderers(), 'renderer');
  log(
    `Classifying ${count} photos of ${kind.width} × ${kind.height} (${(folderBytes / 1e6).toFixed(0)} MB); before: host ${hostBefore.toFixed(0)} MB, largest renderer ${rendererBefore.toFixed(0)} MB…`,
  );
  const peaks = new Peaks();
  peaks.start();
  const started = Date.now();
  await workbench.clickContextMenuEntry(kind.folder, 'Classify image');
  const results = await workbench.webviewWith('#results-status', 120_000);
  await results
    .locator('#results-status', { hasText: `of ${count} image(s) classified in` })
    .waitFor({ timeout: 30 * 60_000 });
  const seconds = (Date.now() - started) / 1000;
  peaks.stop();
  const classified = await results.locator('#results .result[data-predicted]').count();
  const objectUrls = await results
    .locator('#results .result-original[src^="blob:"]')
    .count()
    .catch(() => -1);
  const figures = {
    photos: count,
    folderMB: Math.round(folderBytes / 1e6),
    photoSize: `${kind.width} × ${kind.height}`,
    classified,
    seconds: Math.round(seconds * 10) / 10,
    extensionHost: {
      beforeMB: Math.round(hostBefore),
      peakMB: Math.round(peaks.host),
      growthMB: Math.round(peaks.host - hostBefore),
      targetGrowthMB: HOST_GROWTH_TARGET_MB,
      meetsTarget: peaks.host - hostBefore <= HOST_GROWTH_TARGET_MB,
    },
    largestRenderer: {
      beforeMB: Math.round(rendererBefore),
      peakMB: Math.round(peaks.renderer),
      targetMB: RENDERER_TARGET_MB,
      meetsTarget: peaks.renderer <= RENDERER_TARGET_MB,
    },
    thumbnailsAsObjectUrls: objectUrls,
  };
  log(
    `${classified} of ${count} classified in ${figures.seconds} s; extension host ${figures.extensionHost.beforeMB} → ` +
      `${figures.extensionHost.peakMB} MB (growth ${figures.extensionHost.growthMB} MB, target ≤ ${HOST_GROWTH_TARGET_MB}: ` +
      `${figures.extensionHost.meetsTarget ? 'met' : 'missed'}); largest renderer peak ${figures.largestRenderer.peakMB} MB ` +
      `(target ≤ ${RENDERER_TARGET_MB}: ${figures.largestRenderer.meetsTarget ? 'met' : 'missed'})`,
  );
  return figures;
}

async function main(): Promise<void> {
  log(`Making the distinct photos (once; kept in ${photoDir})…`);
  const photos = await makePhotos(PHOTO);
  const large = await makePhotos(LARGE);
  for (const marker of ['--type=extensionHost', '--type=renderer']) {
    processesWith(marker).forEach((p) => existing.add(p.pid));
  }
  const bytes = { photos: 0, large: 0 };
  const session = await startEditorSession('classify-memory', {
    prepareWorkspace: (workspace) => {
      bytes.photos = fillFolder(workspace, PHOTO, photos, photoCount);
      bytes.large = fillFolder(workspace, LARGE, large, largeCount);
    },
  });
  try {
    await seedTrainedModel(session.server.globalStorage);
    // Settle: the window's own start-up is not the classification's memory. The classifier
    // panel stays closed, as for a person who only classifies.
    await session.workbench.page.locator('.explorer-folders-view').waitFor({ timeout: 120_000 });
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const figures = {
      ...(await classifyFolder(session, PHOTO, photoCount, bytes.photos)),
      largest40Megapixel: await classifyFolder(session, LARGE, largeCount, bytes.large),
    };
    mkdirSync(benchDir, { recursive: true });
    const json = JSON.stringify(figures, null, 2);
    writeFileSync(join(benchDir, 'classify-memory.json'), `${json}\n`);
    process.stdout.write(`${json}\n`);
    const met = [figures, figures.largest40Megapixel].every(
      (f) => f.extensionHost.meetsTarget && f.largestRenderer.meetsTarget,
    );
    process.exitCode = met ? 0 : 1;
  } finally {
    await session.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
