// Does a seed repeat a run on each backend of this machine's Chromium? Trains the panel's model
// from one seed twice and from another seed once per backend, each time in a new page, and
// prints the SHA-256 of the trained weights (what weights.bin holds). The CPU and WASM backends
// must repeat (the exit code says so); WebGL's answer depends on the GPU and its driver, so the
// script reports it for the machine it runs on.
//   npm run --silent bench:seeds                       MLP, webgl,wasm,cpu, 2,000 images, 2 epochs
//   npm run --silent bench:seeds -- --model cnn --backend webgl,wasm --images 640 --epochs 1
import { parseArgs } from 'node:util';
import { Browser, chromium } from 'playwright-core';
import { chromiumPath, repoRoot, systemDatasetDir } from '../harness/paths';
import { join } from 'node:path';
import { bundleBenchPage } from './bundle';
import { startBenchServer } from './server';
import type { BenchBackend, SeedRepeatOptions, SeedRepeatResult } from './types';
import type { ModelPreset } from '../../src/shared/settings';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'mlp' },
    backend: { type: 'string', default: 'webgl,wasm,cpu' },
    images: { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '2' },
    seed: { type: 'string', default: '4242' },
  },
});
const log = (message: string) => process.stderr.write(`${message}\n`);

async function trainInFreshPage(
  browser: Browser,
  origin: string,
  options: SeedRepeatOptions,
): Promise<SeedRepeatResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    await page.goto(origin);
    await page.waitForFunction(() => 'trainSeeded' in globalThis);
    return await page.evaluate(
      (o) => (globalThis as unknown as { trainSeeded(o: SeedRepeatOptions): Promise<SeedRepeatResult> }).trainSeeded(o),
      options,
    );
  } finally {
    await context.close();
  }
}

async function main(): Promise<number> {
  const seed = Number(args.seed);
  const server = await startBenchServer(
    await bundleBenchPage('test/bench/seedRepeatPage.ts'),
    // No training workers on this page.
    new Uint8Array(0),
    systemDatasetDir,
    join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
  );
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-quic'] });
  const report: Record<string, unknown>[] = [];
  let failed = false;
  try {
    for (const backend of args.backend!.split(',') as BenchBackend[]) {
      const options = (s: number): SeedRepeatOptions => ({
        model: args.model as ModelPreset,
        backend,
        seed: s,
        trainImages: Number(args.images),
        epochs: Number(args.epochs),
        dataUrl: server.dataUrl,
        wasmUrl: server.wasmUrl,
      });
      log(`${backend}: seed ${seed} twice, seed ${seed + 1} once…`);
      const [first, again, other] = [
        await trainInFreshPage(browser, server.origin, options(seed)),
        await trainInFreshPage(browser, server.origin, options(seed)),
        await trainInFreshPage(browser, server.origin, options(seed + 1)),
      ];
      const repeats = first.trainedHash === again.trainedHash;
      const differs = other.trainedHash !== first.trainedHash;
      log(
        `  initial weights ${first.initialHash === again.initialHash ? 'identical' : 'DIFFERENT'}; trained weights ` +
          `${repeats ? 'identical' : 'DIFFERENT'} with the same seed (${first.trainedHash.slice(0, 16)}…, ` +
          `${again.trainedHash.slice(0, 16)}…), ${differs ? 'different' : 'THE SAME'} with another seed; ` +
          `${first.seconds.toFixed(1)} s a run`,
      );
      report.push({ backend, seed, first, again, other, repeats, differsWithAnotherSeed: differs });
      // CPU and WASM compute in a fixed order, so they must repeat; WebGL is reported, not judged.
      failed ||= backend !== 'webgl' && (!repeats || !differs);
    }
    process.stdout.write(`${JSON.stringify({ model: args.model, chromium: browser.version(), report }, null, 2)}\n`);
    return failed ? 1 : 0;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
