import * as tf from "@tensorflow/tfjs-core";

/** The part of tfjs-node's backend that runs a TensorFlow op by name. */
interface NativeBackend {
  binding: {
    TF_FLOAT: number;
    TF_ATTR_TYPE: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_STRING: number;
  };
  executeMultipleOutputs(
    name: string,
    attrs: { name: string; type: number; value: unknown }[],
    inputs: tf.TensorInfo[],
    outputs: number,
  ): tf.Tensor[];
}

/** The tfjs-node backend when it is the active one (it registers as "tensorflow", CPU or GPU build). */
export function activeNativeBackend(): NativeBackend | undefined {
  if (tf.getBackend() !== "tensorflow") return undefined;
  const backend = tf.backend() as unknown as Partial<NativeBackend>;
  return typeof backend.executeMultipleOutputs === "function" ? (backend as NativeBackend) : undefined;
}

export interface BatchStatistics {
  mean: tf.Tensor1D;
  /** Unbiased (n - 1) variance, the one running statistics average, as PyTorch and TensorFlow do. */
  variance: tf.Tensor1D;
}

/**
 * Training-mode batch norm over NHWC channels as TensorFlow's own fused kernels (FusedBatchNormV3 forward,
 * FusedBatchNormGradV3 backward): one op each way instead of the dozen elementwise ops tfjs composes, which
 * doubled the CNN's step time. `onStatistics` receives this batch's mean and variance during the forward pass.
 */
export function nativeBatchNormTraining(
  backend: NativeBackend,
  x: tf.Tensor4D,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
  onStatistics: (statistics: BatchStatistics) => void,
): tf.Tensor4D {
  const { binding } = backend;
  const attrs = [
    { name: "T", type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: "U", type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: "epsilon", type: binding.TF_ATTR_FLOAT, value: epsilon },
    { name: "data_format", type: binding.TF_ATTR_STRING, value: "NHWC" },
    { name: "is_training", type: binding.TF_ATTR_BOOL, value: true },
  ];
  const forward = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, gamma, beta] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const empty = tf.tensor1d([], "float32");
    const [y, mean, variance, reserve1, reserve2, reserve3] = backend.executeMultipleOutputs(
      "FusedBatchNormV3",
      [...attrs, { name: "exponential_avg_factor", type: binding.TF_ATTR_FLOAT, value: 1 }],
      [input, gamma, beta, empty, empty],
      6,
    ) as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.Tensor, tf.Tensor, tf.Tensor];
    onStatistics({ mean, variance });
    save([input, gamma, reserve1, reserve2, reserve3]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [dx, dScale, dOffset] = backend.executeMultipleOutputs(
          "FusedBatchNormGradV3",
          attrs,
          [dy, ...saved],
          5,
        );
        return [dx as tf.Tensor, dScale as tf.Tensor, dOffset as tf.Tensor];
      },
    };
  });
  return forward(x, scale, offset) as tf.Tensor4D;
}
