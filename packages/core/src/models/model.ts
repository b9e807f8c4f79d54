import type * as tf from "@tensorflow/tfjs-core";
import type { Parameter } from "./parameters.ts";
import type { ModelSpec } from "./spec.ts";

export interface ApplyOptions {
  /** Dropout and batch-norm statistics update only in training. */
  training: boolean;
  /** Seeds this step's dropout masks. */
  step?: number;
}

/** A network as plain tensors: trainable parameters, non-trainable state, and a forward function. */
export interface Model {
  spec: ModelSpec;
  parameters: Parameter[];
  /** Non-trainable state that a checkpoint must keep (batch-norm running statistics). */
  buffers: { name: string; variable: tf.Variable }[];
  /** Flat images [batch, rows * columns] to logits [batch, classes]. */
  apply(images: tf.Tensor2D, options: ApplyOptions): tf.Tensor2D;
  dispose(): void;
}

export function countParameters(model: Model): number {
  return model.parameters.reduce((sum, p) => sum + p.variable.size, 0);
}
