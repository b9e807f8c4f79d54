import * as tf from "@tensorflow/tfjs-core";

/**
 * Per-trial rates for a group of trials trained together (see train/batched.ts): every parameter then carries a
 * leading trial dimension of this length, and trial k updates with learningRates[k] and weightDecays[k].
 */
export interface TrialRates {
  learningRates: readonly number[];
  weightDecays: readonly number[];
}

/** One learning rate for a plain model, or one per trial for a batched group. */
export type LearningRate = number | TrialRates;

/**
 * A value per trial as a tensor that broadcasts against a parameter of `rank` dimensions ([K] -> [K, 1, ..., 1]),
 * or a scalar when there is one value. Each value is rounded to float32 once, as `tf.scalar` would.
 */
export function perTrial(values: number | readonly number[], rank: number): tf.Tensor {
  if (typeof values === "number") return tf.scalar(values);
  return tf.tensor(Float32Array.from(values), [values.length, ...new Array<number>(rank - 1).fill(1)]);
}

/** Caches `perTrial` tensors by rank within one update (they are freed by the caller's tidy). */
export function perTrialByRank(values: number | readonly number[]): (rank: number) => tf.Tensor {
  const byRank = new Map<number, tf.Tensor>();
  return (rank) => {
    const key = typeof values === "number" ? 0 : rank;
    let tensor = byRank.get(key);
    if (!tensor) {
      tensor = perTrial(values, rank);
      byRank.set(key, tensor);
    }
    return tensor;
  };
}
