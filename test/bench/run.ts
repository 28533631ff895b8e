// `npm run bench`: trains the extension's seed model in headless Chromium on each TF.js backend,
// then the same model in PyTorch when it is installed, and prints the figures as JSON (stdout)
// and as a table with the ratios against PyTorch (stderr).
//
//   npm run --silent bench                         a sample of batches per run, extrapolated
//   npm run --silent bench -- --full               5 full epochs on wasm at batch 32, test accuracy
//   options: --model mlp|cnn  --backend webgl,wasm,cpu  --batch-sizes 32,128  --epochs 5  --batches N
//            --no-torch  --torch-threads N (PyTorch's threads, default 2)
//            --rounds N  (every configuration, then PyTorch, N times over; figures are medians)
//            --workers 1,2  (training threads on wasm: 1 is the page, more are data-parallel
//            workers; default 1, 2, 4, … up to the cores; speed-ups are per round)
//   npm run --silent bench -- --webgl-counters    WebGL's GPU work per epoch (readbacks, shader
//            programs, uploads, tensors, GPU bytes) over --epochs (default 3) on a subset
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Browser, chromium, Page } from 'playwright-core';
import { loadSystemTestSet } from '../harness/fashionSamples';
import { chromiumPath, outputRoot, repoRoot, systemDatasetDir } from '../harness/paths';
import { medianRuns, ratios, type Round, summarizeRatios, table } from './report';
import { bundleBenchPage } from './bundle';
import { parallelSpeedups, speedupTable, summarizeSpeedups } from './speedups';
import { startBenchServer, type BenchServer } from './server';
import { findTorchPython, runTorchReference, TorchReport } from './torch';
import type {
  BenchBackend,
  BenchOptions,
  BenchResult,
  ColdLatency,
  ColdOptions,
  GlCounterOptions,
  GlCounterResult,
} from './types';
import { glCounterTable, glCounterVerdicts } from './glReport';
import { CNN_LAYOUT } from '../../src/shared/ml/model';
import { defaultsFor, MODEL_PRESETS, type ModelPreset } from '../../src/shared/settings';

/** The project's goal for test accuracy after a full default run of each preset (single runs vary; see README). */
const ACCURACY_FLOOR: Record<ModelPreset, number> = { mlp: 0.87, cnn: 0.92 };
const WARMUP_BATCHES = 5;
/**
 * Images timed per run in the default mode: enough for a steady mean, and few where batches are
 * slow (WebGL without a GPU runs in software here), so the whole benchmark takes minutes.
 */
const SAMPLE_IMAGES: Record<ModelPreset, Record<BenchBackend, number>> = {
  mlp: { wasm: 19_200, cpu: 6_400, webgl: 2_560 },
  // A CNN step costs about ten times an MLP step.
  cnn: { wasm: 6_400, cpu: 640, webgl: 640 },
};

interface BenchPage {
  runBench(options: BenchOptions): Promise<BenchResult>;
  classifyCold(options: ColdOptions): Promise<ColdLatency>;
  countWebglWork(options: GlCounterOptions): Promise<GlCounterResult>;
}

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'mlp' },
    full: { type: 'boolean', default: false },
    backend: { type: 'string' },
    'batch-sizes': { type: 'string' },
    epochs: { type: 'string' },
    batches: { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
    'torch-threads': { type: 'string' },
    rounds: { type: 'string' },
    'webgl-counters': { type: 'boolean', default: false },
    workers: { type: 'string' },
  },
});
const preset = args.model as ModelPreset;
if (!MODEL_PRESETS.includes(preset)) {
  throw new Error(`--model is one of ${MODEL_PRESETS.join(', ')}, not ${preset}.`);
}
const presetDefaults = defaultsFor(preset);
const full = args.full ?? false;
// A full run on every backend would take hours here, so --full defaults to the fast one.
const backends = (args.backend ?? (full ? 'wasm' : 'webgl,wasm,cpu')).split(',') as BenchBackend[];
const batchSizes = (args['batch-sizes'] ?? (full || preset === 'cnn' ? String(presetDefaults.batchSize) : '32,128'))
  .split(',')
  .map(Number);
const epochs = Number(args.epochs ?? presetDefaults.epochs);
/**
 * The machine's speed drifts with other work on the host from minute to minute, so the browser
 * and PyTorch take turns, round after round, and each round's ratio compares neighbours in time.
 */
const rounds = Number(args.rounds ?? (full ? 1 : 3));
/**
 * Training threads to time on WebAssembly: 1 (the page itself), then data-parallel workers,
 * doubling up to the cores this machine has (and that count itself).
 */
const workerCounts = args.workers ? args.workers.split(',').map(Number) : defaultWorkerCounts(cpus().length);
if (workerCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) {
  throw new Error(`--workers takes counts from 1 to 16, not ${args.workers}.`);
}

function defaultWorkerCounts(cores: number): number[] {
  const counts = [1];
  for (let n = 2; n < Math.min(cores, 16); n *= 2) {
    counts.push(n);
  }
  return cores > 1 ? [...counts, Math.min(cores, 16)] : counts;
}

/** The row a configuration's figures go in, e.g. wasm/32/2. */
const configuration = (r: { backend: string; batchSize: number; workers: number }) =>
  `${r.backend}/${r.batchSize}/${r.workers}`;

const benchDir = join(outputRoot, 'bench');
const log = (message: string) => process.stderr.write(`${message}\n`);

/** The page and the training workers' script, served together. */
async function startServer(): Promise<BenchServer> {
  const [page, worker] = await Promise.all([
    bundleBenchPage('test/bench/page.ts'),
    bundleBenchPage('webview/worker/trainingWorker.ts'),
  ]);
  return startBenchServer(
    page,
    worker,
    systemDatasetDir,
    join(repoRoot, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
  );
}

/**
 * Peak resident memory (VmHWM) of the renderer that did the most work: the page of the run just
 * finished, whose workers are threads of the same process. Undefined where /proc cannot tell.
 */
async function busiestRendererPeakMB(browser: Browser): Promise<number | undefined> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo' as never)) as {
      processInfo: { type: string; id: number; cpuTime: number }[];
    };
    const renderer = processInfo.filter((p) => p.type === 'renderer').sort((a, b) => b.cpuTime - a.cpuTime)[0];
    const status = renderer && readFileSync(`/proc/${renderer.id}/status`, 'utf8');
    const kB = status && /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kB ? Number(kB) / 1024 : undefined;
  } catch {
    return undefined;
  } finally {
    await cdp.detach();
  }
}

/** Runs `action` in a new browser context, so no cache, heap or tensor carries over between runs. */
async function inFreshPage<T>(browser: Browser, origin: string, action: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && log(`page console: ${message.text()}`));
    await page.goto(origin);
    await page.waitForFunction(() => 'runBench' in globalThis);
    return await action(page);
  } finally {
    await context.close();
  }
}

function benchOptions(
  backend: BenchBackend,
  batchSize: number,
  workers: number,
  measureLatency: boolean,
  urls: { dataUrl: string; wasmUrl: string; workerUrl: string },
): BenchOptions {
  const batches = args.batches
    ? Number(args.batches)
    : Math.max(5, Math.round(SAMPLE_IMAGES[preset][backend] / batchSize));
  return {
    model: preset,
    backend,
    batchSize,
    batches: full ? undefined : batches,
    warmupBatches: WARMUP_BATCHES,
    epochs,
    measureLatency,
    workers,
    ...urls,
  };
}

/** Images for --webgl-counters: enough batches per epoch to show a per-batch pattern, few enough for software WebGL. */
const GL_COUNTER_IMAGES: Record<ModelPreset, { train: number; validation: number }> = {
  mlp: { train: 3_200, validation: 1_024 },
  cnn: { train: 640, validation: 256 },
};

async function runGlCounters(): Promise<number> {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-quic'] });
  try {
    const results: GlCounterResult[] = [];
    for (const batchSize of batchSizes) {
      log(`webgl, ${preset}, batch ${batchSize}: counting GPU work over ${args.epochs ?? 3} epochs…`);
      const options: GlCounterOptions = {
        model: preset,
        batchSize,
        epochs: Number(args.epochs ?? 3),
        trainImages: GL_COUNTER_IMAGES[preset].train,
        validationImages: GL_COUNTER_IMAGES[preset].validation,
        dataUrl: server.dataUrl,
        wasmUrl: server.wasmUrl,
      };
      results.push(
        await inFreshPage(browser, server.origin, (page) =>
          page.evaluate((o) => (globalThis as unknown as BenchPage).countWebglWork(o), options),
        ),
      );
    }
    const json = JSON.stringify({ model: preset, webglCounters: results }, null, 2);
    mkdirSync(benchDir, { recursive: true });
    writeFileSync(join(benchDir, `webgl-counters-${preset}.json`), `${json}\n`);
    process.stdout.write(`${json}\n`);
    log(`\n${results.map(glCounterTable).join('\n\n')}`);
    const misses = results.flatMap(glCounterVerdicts).filter((v) => !v.met);
    for (const verdict of results.flatMap(glCounterVerdicts)) {
      log(`${verdict.met ? 'met' : 'MISSED'}: ${verdict.target} (${verdict.detail})`);
    }
    return misses.length > 0 ? 1 : 0;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function runBrowserBenchmarks(
  measureLatency: boolean,
): Promise<{ runs: BenchResult[]; cold: Record<string, ColdLatency>; failures: string[]; chromium: string }> {
  const server = await startServer();
  const home = join(benchDir, 'home');
  mkdirSync(home, { recursive: true });
  let browser: Browser | undefined;
  const runs: BenchResult[] = [];
  const cold: Record<string, ColdLatency> = {};
  const failures: string[] = [];
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      // QUIC probes fail noisily offline; precise memory info makes performance.memory exact.
      args: ['--disable-quic', '--enable-precise-memory-info'],
      env: { ...process.env, HOME: home },
    });
    const coldImage = Array.from(loadSystemTestSet().pixelsOf(0));
    for (const backend of backends) {
      for (const [i, batchSize] of batchSizes.entries()) {
        // Workers are WebAssembly's: one core each, where the page's WASM has no threads.
        for (const workers of backend === 'wasm' ? workerCounts : [1]) {
          const what = `${backend}, batch ${batchSize}${workers > 1 ? `, ${workers} workers` : ''}`;
          log(`${what}: ${full ? `${epochs} full epochs` : 'timing a sample of batches'}…`);
          try {
            const options = benchOptions(backend, batchSize, workers, measureLatency && i === 0 && workers === 1, {
              dataUrl: server.dataUrl,
              wasmUrl: server.wasmUrl,
              workerUrl: server.workerUrl,
            });
            const result = await inFreshPage(browser, server.origin, async (page) => ({
              ...(await page.evaluate((o) => (globalThis as unknown as BenchPage).runBench(o), options)),
              rendererPeakMB: await busiestRendererPeakMB(browser!),
            }));
            const { model, ...figures } = result;
            runs.push({ ...figures, loadAverage: loadavg()[0] });
            log(
              `  ${figures.secondsPerEpoch.toFixed(1)} s per epoch, ${figures.samplesPerSecond.toFixed(0)} samples/s`,
            );
            if (model) {
              const coldOptions: ColdOptions = { backend, wasmUrl: server.wasmUrl, model, pixels: coldImage };
              cold[backend] = await inFreshPage(browser, server.origin, (page) =>
                page.evaluate((o) => (globalThis as unknown as BenchPage).classifyCold(o), coldOptions),
              );
            }
          } catch (error) {
            failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
            log(`  failed: ${failures.at(-1)}`);
          }
        }
      }
    }
    return { runs, cold, failures, chromium: browser.version() };
  } finally {
    await browser?.close();
    await server.close();
  }
}

async function runTorch(): Promise<TorchReport | { skipped: string }> {
  if (args['no-torch']) {
    return { skipped: '--no-torch' };
  }
  const python = findTorchPython();
  if (!python) {
    return { skipped: 'no Python with torch (Debian: apt-get install python3-torch)' };
  }
  log(`PyTorch (${python}): ${full ? `${epochs} full epochs` : 'timing a sample of batches'}…`);
  const torchArgs = [
    '--model',
    preset,
    '--cnn-layout',
    JSON.stringify(CNN_LAYOUT),
    '--batch-sizes',
    batchSizes.join(','),
    '--epochs',
    String(epochs),
    '--lr',
    String(presetDefaults.learningRate),
    '--lr-decay',
    String(presetDefaults.learningRateDecay),
    ...(full ? ['--full'] : []),
    ...(args['torch-threads'] ? ['--threads', args['torch-threads']] : []),
  ];
  return runTorchReference(python, repoRoot, torchArgs);
}

async function main(): Promise<number> {
  mkdirSync(join(benchDir, 'tmp'), { recursive: true });
  // Chromium and its helpers write their temporary files here rather than in the system's.
  process.env.TMPDIR = join(benchDir, 'tmp');
  const loadBefore = loadavg();
  const played: Round[] = [];
  const cold: Record<string, ColdLatency> = {};
  const failures: string[] = [];
  let chromiumVersion = '';
  let torchSkipped: string | undefined;
  for (let round = 1; round <= rounds; round++) {
    if (rounds > 1) {
      log(`Round ${round} of ${rounds}`);
    }
    const browserPart = await runBrowserBenchmarks(round === 1);
    Object.assign(cold, browserPart.cold);
    failures.push(...browserPart.failures);
    chromiumVersion = browserPart.chromium;
    // PyTorch runs after the browser has closed, so the two never compete for the cores.
    const torch = await runTorch();
    torchSkipped = 'skipped' in torch ? torch.skipped : undefined;
    played.push({ runs: browserPart.runs, torch: 'runs' in torch ? torch : undefined });
  }
  // Latency is measured in the first round only; it stays with its configuration's figures.
  const latencies = new Map(played[0].runs.filter((r) => r.latency).map((r) => [configuration(r), r.latency]));
  const runs = medianRuns(
    played.flatMap((r) => r.runs),
    configuration,
  ).map((r) => ({
    ...r,
    latency: latencies.get(configuration(r)),
  }));
  const torchRuns = played.flatMap((r) => r.torch?.runs ?? []);
  const torchReport = played[0].torch && {
    ...played[0].torch,
    runs: medianRuns(torchRuns, (r) => `${r.loader}/${r.batchSize}`),
  };
  const roundRatios = played.map((r) => ratios(r.runs, r.torch, presetDefaults.batchSize));
  const summaries = summarizeRatios(roundRatios, presetDefaults.batchSize);
  const speedups = summarizeSpeedups(played.map((r) => parallelSpeedups(r.runs)));
  const document = {
    model: preset,
    mode: full
      ? `full: ${epochs} epochs over the whole training split, test accuracy on 10,000 images`
      : 'sample: a fixed number of batches per run, extrapolated to an epoch',
    rounds,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      // Other work on the machine slows every figure; a load above the core count means contention.
      loadAverageBefore: loadBefore[0],
      loadAverageAfter: loadavg()[0],
      chromium: chromiumVersion,
      node: process.version,
    },
    runs,
    coldClassification: cold,
    pytorch: torchReport ?? { skipped: torchSkipped },
    ratios: summaries,
    roundRatios,
    parallelSpeedups: speedups,
    failures,
  };
  const json = JSON.stringify(document, null, 2);
  mkdirSync(benchDir, { recursive: true });
  writeFileSync(join(benchDir, `result-${preset}${full ? '-full' : ''}.json`), `${json}\n`);
  process.stdout.write(`${json}\n`);
  log(`\n${table(runs, cold, torchReport, summaries)}`);
  if (speedups.length > 0) {
    log(`\n${speedupTable(speedups)}`);
  }
  const lowAccuracy = played
    .flatMap((r) => r.runs)
    .filter((r) => r.testAccuracy !== undefined && r.testAccuracy < ACCURACY_FLOOR[preset]);
  lowAccuracy.forEach((r) =>
    log(`${r.backend} at batch ${r.batchSize}: test accuracy ${r.testAccuracy} is below ${ACCURACY_FLOOR[preset]}`),
  );
  return failures.length > 0 || lowAccuracy.length > 0 ? 1 : 0;
}

(args['webgl-counters'] ? runGlCounters() : main()).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
