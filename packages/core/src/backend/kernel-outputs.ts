import type { NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";

/** Runs a kernel on a kernel's own inputs: the engine accepts TensorInfo at run time, its types ask for Tensor. */
export function runKernel<T extends tf.Tensor>(
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): T {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as T;
}

/** Hands a tensor's buffer to the engine as a kernel's output (with its own reference), then drops the tensor. */
export function asKernelOutput(backend: unknown, result: tf.Tensor): TensorInfo {
  (backend as { incRef(dataId: object): void }).incRef(result.dataId);
  const output = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
  result.dispose();
  return output;
}
