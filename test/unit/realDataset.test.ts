// Checks the real Fashion-MNIST files from Debian's dataset-fashion-mnist against the real spec,
// and times what opening the panel costs: unpacking them once, then re-hashing the stored copies.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDataset } from '../../src/data/prepareDataset';
import { verifyFile } from '../../src/data/verifyFile';
import { DEBIAN_DATASET_DIR, FASHION_MNIST } from '../../src/shared/datasetFiles';
import { makeTempDir } from './datasetFixtures';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, Math.round(performance.now() - start)];
}

describe('the real Fashion-MNIST files', function () {
  let storageDir: string | undefined;

  before(function () {
    if (!existsSync(DEBIAN_DATASET_DIR)) {
      assert.fail(`${DEBIAN_DATASET_DIR} is missing: sudo apt-get install dataset-fashion-mnist`);
    }
  });
  after(() => storageDir && rmSync(storageDir, { recursive: true, force: true }));

  it('match the decompressed sizes and SHA-256 checksums of the spec', async () => {
    for (const file of FASHION_MNIST) {
      const [, ms] = await timed(() => verifyFile(join(DEBIAN_DATASET_DIR, `${file.name}.gz`), file));
      console.log(`      ${file.name}.gz: gunzip and verify ${ms} ms`);
    }
  });

  it('are unpacked into storage once, then re-verified quickly', async () => {
    storageDir = makeTempDir('real');
    const [first, unpackMs] = await timed(() =>
      prepareDataset({ storageDir: storageDir!, systemDir: DEBIAN_DATASET_DIR }),
    );
    assert.equal(first.source, 'system');
    const [again, rehashMs] = await timed(() =>
      prepareDataset({ storageDir: storageDir!, systemDir: DEBIAN_DATASET_DIR }),
    );
    assert.equal(again.source, 'storage');
    const [, bigMs] = await timed(() => verifyFile(join(again.folder, FASHION_MNIST[0].name), FASHION_MNIST[0]));
    console.log(`      first preparation (unpack ${FASHION_MNIST.length} files): ${unpackMs} ms`);
    console.log(
      `      later preparation (re-hash all stored copies): ${rehashMs} ms, of which train-images: ${bigMs} ms`,
    );
  });
});
