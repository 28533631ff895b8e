// The WebGL backend's flags, set on purpose before it starts rather than left to TF.js' defaults,
// which depend on the device and may change between versions. Each one's reason is beside it; the
// benchmark (`npm run bench -- --webgl-counters`) counts what they are for: no readback beyond
// the report policy, no shader program linked after the first epoch, GPU memory flat.
import * as tf from '@tensorflow/tfjs';

export const WEBGL_FLAGS = {
  // Four values per texel: a quarter of the texels to read and write in the dense layers'
  // products and the convolutions, which is where a training step's GPU time goes.
  WEBGL_PACK: true,
  // Freed textures are kept for reuse rather than deleted: every batch allocates the same shapes,
  // so after the first one nothing is allocated any more and GPU memory stays flat at the working
  // set. A threshold would delete and recreate textures batch after batch.
  WEBGL_DELETE_TEXTURE_THRESHOLD: -1,
  // No forced flush after each op (TF.js forces one on mobile devices): queued work runs best in
  // long streams, and the report every tenth batch (batchesPerReport) syncs anyway.
  WEBGL_FLUSH_THRESHOLD: -1,
  // Tensors of at most this many values go to unpacked shaders as uniforms, not textures (TF.js'
  // default). Packed programs (WEBGL_PACK) still take textures, which is why Adam keeps its
  // scalars on the GPU itself (adam.ts).
  WEBGL_SIZE_UPLOAD_UNIFORM: 4,
  // Ops whose inputs all live on the CPU and are this small run there instead of on the GPU:
  // shape bookkeeping and scalars, never a batch. TF.js' default; an upload for each would cost
  // more than the op.
  WEBGL_CPU_FORWARD: true,
  // Shapes go to shaders as uniforms, so one program serves every batch size: the validation
  // chunks, the last short batch and single predictions reuse the training step's programs. The
  // MLP's first epoch links 93 programs instead of 155, and every one is a compilation a GPU
  // driver does while the learner waits for the first batch.
  WEBGL_USE_SHAPES_UNIFORMS: true,
} as const;

export const WEBGL_FLAG_NAMES = Object.keys(WEBGL_FLAGS) as (keyof typeof WEBGL_FLAGS)[];

/** Sets the flags; call before the WebGL backend is first used. */
export function applyWebglFlags(): void {
  const env = tf.env();
  for (const name of WEBGL_FLAG_NAMES) {
    env.set(name, WEBGL_FLAGS[name]);
  }
}
