import * as tf from "@tensorflow/tfjs-core";
import {
  activeNativeBackend,
  type BatchStatistics,
  nativeBatchNormTraining,
} from "../backend/native-batch-norm.ts";
import { createConstantParameter, type Parameter } from "./parameters.ts";

const BATCH_NORM_EPSILON = 1e-5;
/** Weight of the newest batch in the running statistics, as PyTorch's BatchNorm2d. */
const BATCH_NORM_MOMENTUM = 0.1;

/** Batch norm over the channels of an NHWC tensor: learned scale and offset, running statistics for inference. */
export interface BatchNorm {
  scale: Parameter;
  offset: Parameter;
  runningMean: tf.Variable;
  runningVariance: tf.Variable;
}

export function createBatchNorm(name: string, channels: number): BatchNorm {
  const parameter = (suffix: string, value: tf.Tensor): Parameter => ({
    name: `${name}/${suffix}`,
    variable: createConstantParameter(`${name}/${suffix}`, value, true),
    isBiasLike: true,
  });
  return {
    scale: parameter("scale", tf.ones([channels])),
    offset: parameter("offset", tf.zeros([channels])),
    runningMean: createConstantParameter(`${name}/running_mean`, tf.zeros([channels]), false),
    runningVariance: createConstantParameter(`${name}/running_variance`, tf.ones([channels]), false),
  };
}

/**
 * Training-mode batch norm written with its closed-form gradient, for backends without a fused kernel:
 * dx = scale / std * (dy - mean(dy) - x̂ * mean(dy * x̂)), five full-size ops instead of the dozen that
 * differentiating tf.moments and tf.batchNorm op by op takes.
 */
function composedBatchNormTraining(
  x: tf.Tensor4D,
  scale: tf.Tensor1D,
  offset: tf.Tensor1D,
  epsilon: number,
  onStatistics: (statistics: BatchStatistics) => void,
): tf.Tensor4D {
  const axes = [0, 1, 2];
  const count = x.size / x.shape[3];
  const forward = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, gamma, beta] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const mean = tf.mean(input, axes);
    const centered = tf.sub(input, mean);
    const variance = tf.mean(tf.square(centered), axes);
    const inverseStd = tf.rsqrt(tf.add(variance, epsilon));
    const normalised = tf.mul(centered, inverseStd);
    onStatistics({
      mean: mean as tf.Tensor1D,
      variance: tf.mul(variance, count / Math.max(count - 1, 1)) as tf.Tensor1D,
    });
    save([normalised, tf.mul(gamma, inverseStd)]);
    return {
      value: tf.add(tf.mul(normalised, gamma), beta) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, scaleOverStd] = saved as [tf.Tensor, tf.Tensor];
        const dOffset = tf.sum(dy, axes);
        const dScale = tf.sum(tf.mul(dy, xHat), axes);
        const centredDy = tf.sub(dy, tf.div(dOffset, count));
        const dx = tf.mul(tf.sub(centredDy, tf.mul(xHat, tf.div(dScale, count))), scaleOverStd);
        return [dx, dScale, dOffset];
      },
    };
  });
  return forward(x, scale, offset) as tf.Tensor4D;
}

/**
 * Normalises with this batch's statistics in training (and moves the running statistics toward them), with the
 * running statistics otherwise. On the native backend training runs TensorFlow's fused kernels.
 */
export function applyBatchNorm(x: tf.Tensor4D, bn: BatchNorm, training: boolean): tf.Tensor4D {
  const scale = bn.scale.variable as tf.Tensor1D;
  const offset = bn.offset.variable as tf.Tensor1D;
  if (!training) {
    return tf.batchNorm4d(
      x,
      bn.runningMean as tf.Tensor1D,
      bn.runningVariance as tf.Tensor1D,
      offset,
      scale,
      BATCH_NORM_EPSILON,
    );
  }
  const updateRunningStatistics = ({ mean, variance }: BatchStatistics) => {
    const blend = (running: tf.Variable, batch: tf.Tensor) =>
      running.assign(tf.add(tf.mul(running, 1 - BATCH_NORM_MOMENTUM), tf.mul(batch, BATCH_NORM_MOMENTUM)));
    blend(bn.runningMean, mean);
    blend(bn.runningVariance, variance);
  };
  const native = activeNativeBackend();
  return native
    ? nativeBatchNormTraining(native, x, scale, offset, BATCH_NORM_EPSILON, updateRunningStatistics)
    : composedBatchNormTraining(x, scale, offset, BATCH_NORM_EPSILON, updateRunningStatistics);
}
