// A checksum of a model's weights, to show that data-parallel replicas hold the same bits, and
// that the saved weights.bin holds what they trained. Pure, so Node computes it on weights.bin too.

/**
 * FNV-1a over the 32-bit words of the floats (as weights.bin stores them, little-endian float32),
 * as eight hex digits. Not cryptographic: it tells identical weights from drifted ones, and one
 * flipped bit changes it.
 */
export function weightChecksum(weights: Float32Array): string {
  const words = new Uint32Array(weights.buffer, weights.byteOffset, weights.length);
  let hash = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    hash ^= words[i];
    hash = Math.imul(hash, 0x01000193);
  }
  // The length too, so a truncated buffer of zeros differs from a longer one.
  hash ^= words.length;
  hash = Math.imul(hash, 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
