// The WebGL counters (--webgl-counters) as a table, and the targets they are held to.
import type { GlCounterResult } from './types';

/** Validation runs in chunks of this many images (VALIDATION_BATCH_SIZE), each one upload of images and one of labels. */
const VALIDATION_CHUNK = 1024;

export interface GlVerdict {
  target: string;
  met: boolean;
  detail: string;
}

export function glCounterTable(result: GlCounterResult): string {
  const header = `WebGL work per epoch: ${result.model} at batch ${result.batchSize}, ${result.trainImages} training and ${result.validationImages} validation images (${result.glRenderer ?? 'no renderer'})`;
  const columns = [
    'epoch',
    'batches',
    'readbacks',
    'by policy',
    'programs',
    'uploads',
    'per batch',
    'tensors',
    'GPU MB',
  ];
  const rows = result.epochs.map((e) => [
    e.epoch,
    e.batches,
    e.readbacks,
    e.readbacksByPolicy,
    e.programsLinked,
    e.textureUploads,
    e.uploadsPerBatch.toFixed(2),
    e.numTensors,
    (e.numBytesInGPU / 2 ** 20).toFixed(2),
  ]);
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  return [header, line(columns), ...rows.map(line), `flags: ${JSON.stringify(result.flags)}`].join('\n');
}

/** The targets: reads only as the report policy says, no new programs after epoch 1, memory flat, uploads only of batches. */
export function glCounterVerdicts(result: GlCounterResult): GlVerdict[] {
  const { epochs } = result;
  const later = epochs.slice(1);
  const where = `${result.model}, batch ${result.batchSize}`;
  const extraReads = epochs.filter((e) => e.readbacks > e.readbacksByPolicy);
  const validationChunks = Math.ceil(result.validationImages / VALIDATION_CHUNK);
  const uploadsOfBatches = (batches: number) => `${(2 + (2 * validationChunks) / batches).toFixed(2)} per batch`;
  const first = later[0];
  const memoryChanges = later.filter(
    (e) => e.numTensors !== first.numTensors || e.numBytesInGPU !== first.numBytesInGPU,
  );
  return [
    {
      target: `${where}: no readback beyond the report policy`,
      met: extraReads.length === 0,
      detail: epochs.map((e) => `epoch ${e.epoch}: ${e.readbacks} of ${e.readbacksByPolicy} allowed`).join(', '),
    },
    {
      target: `${where}: no shader program linked after the first epoch`,
      met: later.length > 0 && later.every((e) => e.programsLinked === 0),
      detail: epochs.map((e) => `epoch ${e.epoch}: ${e.programsLinked}`).join(', '),
    },
    {
      // Each batch uploads its images and labels, and TF.js' ops upload the small numbers they
      // make (dropout's keep probability, the loss's clipping bounds): the same every batch.
      target: `${where}: the same texture uploads every epoch after the first`,
      met: later.length > 1 && later.every((e) => e.textureUploads === first.textureUploads),
      detail: later
        .map(
          (e) =>
            `epoch ${e.epoch}: ${e.uploadsPerBatch.toFixed(2)} per batch (images and labels: ${uploadsOfBatches(e.batches)})`,
        )
        .join(', '),
    },
    {
      target: `${where}: tensors and GPU memory flat from epoch to epoch`,
      met: later.length > 1 && memoryChanges.length === 0,
      detail: epochs.map((e) => `epoch ${e.epoch}: ${e.numTensors} tensors, ${e.numBytesInGPU} bytes`).join(', '),
    },
  ];
}
