// Shared by the data set tests: a small synthetic data set with its own spec, temp folders under
// test-output/, a local HTTP or HTTPS server that can misbehave on request, and one that never
// says anything. Everything listens on 127.0.0.1 only.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo, createServer as createTcpServer, Server, Socket } from 'node:net';
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
 * hops-N: a chain of N redirects ending at good; elsewhere: 302 to the server's `elsewhere` base;
 * badRedirect: 302 to something that is not an address;
 * reset: half the body, then the socket is destroyed; short: half the body announced as whole,
 * then a clean close; unsized: half the gzip with no Content-Length, ended by closing (looks
 * complete to HTTP); wrongContent: the gzip of a corrupted file; wrongGzip: corrupted gzip bytes;
 * stall: half the body, then silence; trickle: a byte every 10 ms, never silent for long but never
 * done; endless: a gzip stream of empty blocks that never ends and decompresses to nothing;
 * huge: announces a gigabyte; anything else: 404.
 */
export type ServeMode =
  | 'good'
  | 'plain'
  | 'redirect'
  | `hops-${number}`
  | 'elsewhere'
  | 'badRedirect'
  | 'reset'
  | 'short'
  | 'unsized'
  | 'wrongContent'
  | 'wrongGzip'
  | 'stall'
  | 'trickle'
  | 'endless'
  | 'huge';

export interface TestServer {
  /** Base address for a mode: `<origin>/<mode>/`. */
  base(mode: ServeMode): string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Serve https with this certificate instead of plain http. */
  tls?: TestCertificate;
  /** The base address mode `elsewhere` redirects to; the file name is appended. */
  elsewhere?: string;
}

/** A gzip header, then empty stored deflate blocks: valid gzip for as long as it goes, and it decompresses to nothing. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const EMPTY_BLOCKS = Buffer.concat(new Array<Buffer>(13_107).fill(Buffer.from([0, 0, 0, 0xff, 0xff])));

/** Writes `chunk` over and over, as fast as the client reads, until the connection closes. */
function writeForever(response: http.ServerResponse, chunk: Buffer): void {
  while (!response.destroyed && response.write(chunk)) {
    // Keep writing until the socket's buffer is full.
  }
  if (!response.destroyed) {
    response.once('drain', () => writeForever(response, chunk));
  }
}

export async function startServer(files: SyntheticFile[], options: ServerOptions = {}): Promise<TestServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const answer = (request: http.IncomingMessage, response: http.ServerResponse) => {
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
    const hops = /^hops-(\d+)$/.exec(mode);
    if (hops) {
      const left = Number(hops[1]);
      if (left === 0) {
        response.writeHead(200, { 'content-length': gz.length }).end(gz);
      } else {
        response.writeHead(302, { location: `/hops-${left - 1}/${fileName}` }).end();
      }
      return;
    }
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
      case 'elsewhere':
        response.writeHead(302, { location: `${options.elsewhere}${fileName}` }).end();
        return;
      case 'badRedirect':
        response.writeHead(302, { location: 'http://[' }).end();
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
      case 'trickle': {
        response.writeHead(200, { 'content-length': gz.length });
        let sent = 0;
        const timer = setInterval(() => response.write(gz.subarray(sent, ++sent)), 10);
        response.on('close', () => clearInterval(timer));
        return;
      }
      case 'endless':
        response.writeHead(200);
        response.write(GZIP_HEADER);
        writeForever(response, EMPTY_BLOCKS);
        return;
      case 'huge':
        response.writeHead(200, { 'content-length': 1_000_000_000 }).flushHeaders();
        return;
      default:
        response.writeHead(404).end();
    }
  };
  const server = options.tls ? https.createServer(options.tls, answer) : http.createServer(answer);
  const scheme = options.tls ? 'https' : 'http';
  // A TLS server's connections are TLS sockets; the TCP ones underneath are what close() must end.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    base: (mode) => `${scheme}://127.0.0.1:${port}/${mode}/`,
    requests,
    close: () => close(server, sockets),
  };
}

/** A server that accepts connections and never sends a byte: neither a TLS handshake nor HTTP headers. */
export interface SilentServer {
  /** `<scheme>://127.0.0.1:<port>/`. */
  base(scheme: 'http' | 'https'): string;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return { base: (scheme) => `${scheme}://127.0.0.1:${port}/`, close: () => close(server, sockets) };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

function close(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise<void>((done) => {
    sockets.forEach((socket) => socket.destroy());
    server.close(() => done());
  });
}

/** A private key and a self-signed certificate for 127.0.0.1, which is also the only CA that trusts it. */
export interface TestCertificate {
  key: string;
  cert: string;
}

/**
 * Makes a certificate with openssl (Node cannot sign one itself; Debian's base system has openssl),
 * valid for a day.
 */
export function makeTestCertificate(): TestCertificate {
  const dir = makeTempDir('tls');
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
