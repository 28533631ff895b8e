// The four Fashion-MNIST files and what their decompressed content must be.
// Pure: the host checks files against it, and tests pass a spec of their own (small synthetic
// files) wherever the real one is the default.

export type DatasetRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export interface DatasetFileSpec {
  /** Name of the decompressed file; the distributed file adds `.gz`. */
  name: string;
  role: DatasetRole;
  /** Size of the decompressed file in bytes. */
  bytes: number;
  /** SHA-256 of the decompressed file, lowercase hex. */
  sha256: string;
}

export type DatasetSpec = readonly DatasetFileSpec[];

/**
 * Checksums of the DECOMPRESSED files: Debian recompressed its copies, so their .gz bytes differ
 * from upstream's while the content is the same, and this is the one check that holds for every
 * source.
 */
export const FASHION_MNIST: DatasetSpec = [
  {
    name: 'train-images-idx3-ubyte',
    role: 'trainImages',
    bytes: 47_040_016,
    sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  },
  {
    name: 'train-labels-idx1-ubyte',
    role: 'trainLabels',
    bytes: 60_008,
    sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  },
  {
    name: 't10k-images-idx3-ubyte',
    role: 'testImages',
    bytes: 7_840_016,
    sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  },
  {
    name: 't10k-labels-idx1-ubyte',
    role: 'testLabels',
    bytes: 10_008,
    sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
  },
];

/** Upstream's address (the one torchvision and TFDS use); its S3 website speaks plain http only. */
const UPSTREAM_DOWNLOAD_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/**
 * Where the files are downloaded from, each as `<name>.gz` under a base, tried in this order for
 * each file until one gives a verified copy. HTTPS first: Keras' mirror on Cloud Storage serves the
 * same files over TLS, so nobody on the way sees or alters the transfer. Upstream's plain http comes
 * last, when the mirror is blocked or down; that is acceptable because nothing downloaded is used
 * before its SHA-256 matches the table, and a redirect from https to http is refused, so only this
 * explicit fallback ever goes unencrypted.
 */
export const FASHION_MNIST_DOWNLOAD_BASES: readonly string[] = [
  'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
  UPSTREAM_DOWNLOAD_BASE,
];

/** Where Debian's `dataset-fashion-mnist` package installs the .gz files. */
export const DEBIAN_DATASET_DIR = '/usr/share/datasets/fashion-mnist';

/** Folder under the extension's global storage that holds the verified, decompressed files the panel loads. */
export const DATASET_FOLDER = 'dataset';
