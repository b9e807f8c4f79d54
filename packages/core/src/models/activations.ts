import * as tf from "@tensorflow/tfjs-core";
import { ACTIVATIONS, type Activation, ActivationSchema } from "./activation-names.ts";

export { ACTIVATIONS, type Activation, ActivationSchema };

const SQRT_HALF = Math.SQRT1_2;

/** Applies an activation by name; gelu is the exact (erf) form, as PyTorch's default. */
export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case "relu":
      return tf.relu(x);
    case "silu":
      return tf.mul(x, tf.sigmoid(x));
    case "gelu":
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, SQRT_HALF)), 1));
    case "tanh":
      return tf.tanh(x);
    case "sigmoid":
      return tf.sigmoid(x);
  }
}
