import * as tf from "@tensorflow/tfjs-core";

/** A trainable tensor and whether weight decay applies to it (weights yes; biases and norm scales not). */
export interface Parameter {
  name: string;
  variable: tf.Variable;
  isBiasLike: boolean;
}

/** A tensor copied to the host, as checkpoints and model downloads store it. */
export interface SerializedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

let variableCounter = 0;

function variable(initial: tf.Tensor, name: string): tf.Variable {
  // tfjs variable names are global to the engine; make each unique so several models can coexist.
  return tf.variable(initial, true, `${name}#${variableCounter++}`);
}

/**
 * PyTorch's default initialisation for Linear and Conv2d: weights and biases uniform in ±1/sqrt(fanIn)
 * (kaiming_uniform with a = sqrt(5)), so the models start where the reference study's did.
 */
export function createLayerParameters(
  name: string,
  kernelShape: number[],
  fanIn: number,
  seed: number,
): { kernel: Parameter; bias: Parameter } {
  const bound = 1 / Math.sqrt(fanIn);
  const outputs = kernelShape[kernelShape.length - 1]!;
  return tf.tidy(() => ({
    kernel: {
      name: `${name}/kernel`,
      variable: variable(tf.randomUniform(kernelShape, -bound, bound, "float32", seed), `${name}/kernel`),
      isBiasLike: false,
    },
    bias: {
      name: `${name}/bias`,
      variable: variable(tf.randomUniform([outputs], -bound, bound, "float32", seed + 1), `${name}/bias`),
      isBiasLike: true,
    },
  }));
}

export function createConstantParameter(name: string, value: tf.Tensor, trainable: boolean): tf.Variable {
  return tf.variable(value, trainable, `${name}#${variableCounter++}`);
}

export async function serializeTensors(
  named: { name: string; tensor: tf.Tensor }[],
): Promise<SerializedTensor[]> {
  return Promise.all(
    named.map(async ({ name, tensor }) => ({
      name,
      shape: tensor.shape.slice(),
      values: (await tensor.data()) as Float32Array,
    })),
  );
}
