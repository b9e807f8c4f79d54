// Registered only once the webgpu backend is active (see program.ts for how the kernels were checked).
import * as tf from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterWebGpu } from "./conv2d-backprop-filter.ts";
import { fusedAdamW, fusedSgd } from "./fused-optimizers.ts";
import { maxPoolGradWebGpu } from "./max-pool-grad.ts";

let installed = false;

/**
 * Registers sweeplab's WGSL kernels for the webgpu backend: fused AdamW and SGD updates (optim/fused.ts names
 * them; the optimizers use them whenever the active backend has them), and faster Conv2DBackpropFilter and
 * MaxPoolGrad in place of the stock ones (which stay as the fallback for layouts these do not handle).
 * `{ stock: true }` (or SWEEPLAB_WEBGPU_KERNELS=stock, the escape hatch should one misbehave on some GPU) leaves
 * the stock kernels alone. Safe to call twice.
 */
export function installWebGpuKernels(options: { stock?: boolean } = {}): void {
  if (installed || options.stock || process.env.SWEEPLAB_WEBGPU_KERNELS === "stock") return;
  for (const config of [fusedAdamW, fusedSgd]) {
    if (!tf.getKernel(config.kernelName, "webgpu")) tf.registerKernel(config);
  }
  const replacements = [
    ["Conv2DBackpropFilter", conv2dBackpropFilterWebGpu],
    ["MaxPoolGrad", maxPoolGradWebGpu],
  ] as const;
  for (const [name, replace] of replacements) {
    const stock = tf.getKernel(name, "webgpu");
    if (!stock) continue;
    tf.unregisterKernel(name, "webgpu");
    tf.registerKernel(replace(stock));
  }
  installed = true;
}

/** Whether core's kernels replaced the stock ones in this process. */
export function webGpuKernelsInstalled(): boolean {
  return installed;
}
