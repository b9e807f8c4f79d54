import type * as tf from "@tensorflow/tfjs-core";
import type { SerializedTensor } from "../models/parameters.ts";

/** Updates parameters in place from their gradients. */
export interface Optimizer {
  /** One update at this step's learning rate; `gradients` are keyed by variable name and not disposed. */
  applyGradients(gradients: tf.NamedTensorMap, learningRate: number): void;
  /** Updates applied so far. */
  readonly iterations: number;
  /** Slot tensors (moments, momentum buffers) for checkpoints. */
  slots(): { name: string; tensor: tf.Tensor }[];
  /** Restores what `slots` and `iterations` described. */
  restore(slots: SerializedTensor[], iterations: number): void;
  dispose(): void;
}
