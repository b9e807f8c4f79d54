import type * as tf from "@tensorflow/tfjs-core";
import type { SerializedTensor } from "../models/parameters.ts";
import type { LearningRate } from "./trial-rates.ts";

/** Updates parameters in place from their gradients. */
export interface Optimizer {
  /**
   * One update at this step's learning rate; `gradients` are keyed by variable name and not disposed. With
   * per-trial rates every parameter carries a leading trial dimension and trial k uses rate k and decay k.
   */
  applyGradients(gradients: tf.NamedTensorMap, learningRate: LearningRate): void;
  /** Updates applied so far. */
  readonly iterations: number;
  /** Slot tensors (moments, momentum buffers) for checkpoints. */
  slots(): { name: string; tensor: tf.Tensor }[];
  /** Restores what `slots` and `iterations` described. */
  restore(slots: SerializedTensor[], iterations: number): void;
  dispose(): void;
}
