import * as tf from "@tensorflow/tfjs-core";

/**
 * Names of optimizer updates that a backend may provide as one fused kernel per parameter tensor (the webgpu
 * backend registers them: backend/webgpu/kernels/). Without one the optimizers run their op-by-op arithmetic.
 *
 * Both take `param`, `grad`, one or two slot tensors and `rates`: a float32 [K, 2] tensor with one row per trial
 * (K = 1 for a plain model), and return the new parameter and slots, in that order.
 *   AdamW:  inputs moment1, moment2; rates rows (-lr / (1 - beta1^t), 1 - lr * wd);
 *           attrs beta1, beta2, epsilon, correction2 = 1 / sqrt(1 - beta2^t), decays.
 *   SGD:    input momentumBuffer; rates rows (-lr, wd); attrs momentum, nesterov, decays.
 */
export const FUSED_ADAMW_KERNEL = "SweeplabFusedAdamW";
export const FUSED_SGD_KERNEL = "SweeplabFusedSgd";

/** Whether the active backend has this fused update. */
export function hasFusedKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** The per-trial rate rows as one [K, 2] tensor. */
export function rateRows(first: readonly number[], second: readonly number[]): tf.Tensor2D {
  const values = new Float32Array(first.length * 2);
  first.forEach((value, k) => {
    values[k * 2] = value;
    values[k * 2 + 1] = second[k]!;
  });
  return tf.tensor2d(values, [first.length, 2]);
}

export function runFusedUpdate(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, number | boolean>,
): tf.Tensor[] {
  return tf.engine().runKernel(name, inputs, attrs) as unknown as tf.Tensor[];
}
