// Runs the PyTorch reference (torch_reference.py) when a Python with torch is installed.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface TorchRun {
  batchSize: number;
  /** "tensor": batches sliced from tensors in memory; "dataloader": DataLoader over a TensorDataset. */
  loader: 'tensor' | 'dataloader';
  secondsPerEpoch: number;
  samplesPerSecond: number;
  testAccuracy?: number;
  [more: string]: unknown;
}

export interface TorchReport {
  framework: 'pytorch';
  version: string;
  threads: number;
  runs: TorchRun[];
}

/** A Python that can import torch: $PYTHON, then the one on PATH, then Debian's (python3-torch). */
export function findTorchPython(): string | undefined {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
  return candidates.find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

const children = new Set<ReturnType<typeof spawn>>();
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

export function runTorchReference(python: string, repoRoot: string, args: string[]): Promise<TorchReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(repoRoot, 'test', 'bench', 'torch_reference.py'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      if (code !== 0) {
        reject(new Error(`torch_reference.py exited with code ${code}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as TorchReport);
      } catch (error) {
        reject(error);
      }
    });
  });
}
