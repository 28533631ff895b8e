// Shared by the data set tests: a small synthetic data set with its own spec, temp folders under
// test-output/, and a local HTTP server that can misbehave on request.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DatasetFileSpec, DatasetRole } from '../../src/shared/datasetFiles';

/** A fresh folder under the repository's git-ignored test-output/. */
export function makeTempDir(prefix: string): string {
  const root = resolve('test-output');
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${prefix}-`));
}

/** Deterministic bytes that gzip cannot shrink much, so a transfer spans many chunks. */
function noise(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function idx(magic: number, dims: number[], body: Buffer): Buffer {
  const header = Buffer.alloc(4 + dims.length * 4);
  header.writeUInt32BE(magic, 0);
  dims.forEach((dim, i) => header.writeUInt32BE(dim, 4 + i * 4));
  return Buffer.concat([header, body]);
}

export interface SyntheticFile extends DatasetFileSpec {
  content: Buffer;
}

/** Four small IDX files under the real names, with a spec computed from them. */
export function syntheticDataset(): SyntheticFile[] {
  const labels = (count: number, seed: number) => Buffer.from(noise(count, seed).map((byte) => byte % 10));
  const files: [string, DatasetRole, Buffer][] = [
    ['train-images-idx3-ubyte', 'trainImages', idx(0x803, [256, 28, 28], noise(256 * 28 * 28, 1))],
    ['train-labels-idx1-ubyte', 'trainLabels', idx(0x801, [256], labels(256, 2))],
    ['t10k-images-idx3-ubyte', 'testImages', idx(0x803, [16, 28, 28], noise(16 * 28 * 28, 3))],
    ['t10k-labels-idx1-ubyte', 'testLabels', idx(0x801, [16], labels(16, 4))],
  ];
  return files.map(([name, role, content]) => ({
    name,
    role,
    content,
    bytes: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
  }));
}

/** Writes `files` into `dir`, as `<name>.gz` when `gzip`, else plain. */
export function writeDataset(dir: string, files: SyntheticFile[], gzip: boolean): void {
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    writeFileSync(join(dir, gzip ? `${file.name}.gz` : file.name), gzip ? gzipSync(file.content) : file.content);
  }
}

export function partFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.part'));
}

/** Flips one byte in the middle, keeping the length. */
export function corrupt(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1] ^= 0xff;
  return copy;
}

/**
 * How the server answers `/<mode>/<name>.gz`:
 * good: the gzip, with Content-Length; plain: the uncompressed file; redirect: 302 to good;
 * reset: half the body, then the socket is destroyed; short: half the body announced as whole,
 * then a clean close; unsized: half the gzip with no Content-Length, ended by closing (looks
 * complete to HTTP); wrongContent: the gzip of a corrupted file; wrongGzip: corrupted gzip bytes;
 * stall: half the body, then silence; anything else: 404.
 */
export type ServeMode =
  'good' | 'plain' | 'redirect' | 'reset' | 'short' | 'unsized' | 'wrongContent' | 'wrongGzip' | 'stall';

export interface TestServer {
  /** Base address for a mode: `<origin>/<mode>/`. */
  base(mode: ServeMode): string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

export async function startServer(files: SyntheticFile[]): Promise<TestServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '';
    requests.push(url);
    const [, mode, fileName] = url.split('/');
    const file = files.find((entry) => `${entry.name}.gz` === fileName);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    const gz = gzipSync(file.content);
    const half = gz.subarray(0, gz.length >> 1);
    switch (mode as ServeMode) {
      case 'good':
        response.writeHead(200, { 'content-length': gz.length }).end(gz);
        return;
      case 'plain':
        response.writeHead(200, { 'content-length': file.content.length }).end(file.content);
        return;
      case 'redirect':
        response.writeHead(302, { location: `/good/${fileName}` }).end();
        return;
      case 'reset':
        response.writeHead(200, { 'content-length': gz.length });
        response.write(half, () => setTimeout(() => request.socket.destroy(), 20));
        return;
      case 'short':
        response.writeHead(200, { 'content-length': gz.length });
        response.write(half, () => setTimeout(() => request.socket.end(), 20));
        return;
      case 'unsized':
        // Written by hand: Node's server would otherwise frame the body in chunks.
        request.socket.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'), half]));
        return;
      case 'wrongContent': {
        const bad = gzipSync(corrupt(file.content));
        response.writeHead(200, { 'content-length': bad.length }).end(bad);
        return;
      }
      case 'wrongGzip': {
        const bad = corrupt(gz);
        response.writeHead(200, { 'content-length': bad.length }).end(bad);
        return;
      }
      case 'stall':
        response.writeHead(200, { 'content-length': gz.length });
        response.write(half);
        return;
      default:
        response.writeHead(404).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    base: (mode) => `http://127.0.0.1:${port}/${mode}/`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => done());
      }),
  };
}
