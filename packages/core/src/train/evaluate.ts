import * as tf from "@tensorflow/tfjs-core";
import type { DeviceSplit } from "../data/dataset.ts";
import type { Model } from "../models/model.ts";
import type { TestEvaluation } from "./events.ts";

/** Small enough that the CNN fits the wasm heap (4 GB at most; batches of 1000 overflow it). */
const EVAL_BATCH = 256;

/** Mean cross-entropy of logits against integer labels. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
}

/** Mean cross-entropy per trial of stacked logits [K, batch, classes] against labels [K, batch]: [K]. */
export function crossEntropyPerTrial(logits: tf.Tensor3D, labels: tf.Tensor2D, classes: number): tf.Tensor1D {
  const perExample = tf.losses.softmaxCrossEntropy(
    tf.oneHot(labels, classes),
    logits,
    undefined,
    0,
    tf.Reduction.NONE,
  );
  return tf.mean(perExample, 1) as tf.Tensor1D;
}

/** Loss and accuracy over the first `limit` examples of a split, read back from the device once. */
export async function evaluateSplit(
  model: Model,
  split: DeviceSplit,
  classes: number,
  limit = split.count,
): Promise<{ loss: number; accuracy: number }> {
  const count = Math.min(limit, split.count);
  if (count === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  // One tidy per batch: a single tidy around the loop would keep every batch's activations alive to the end.
  const perBatch: tf.Tensor1D[] = [];
  for (let start = 0; start < count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, count - start);
    perBatch.push(
      tf.tidy(() => {
        const images = tf.slice(split.images, [start, 0], [size, -1]);
        const labels = tf.slice(split.labels, [start], [size]);
        const logits = model.apply(images, { training: false });
        const lossSum = tf.mul(crossEntropy(logits, labels, classes), size);
        const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32"));
        return tf.stack([lossSum, correct]) as tf.Tensor1D;
      }),
    );
  }
  const totals = tf.tidy(() => tf.sum(tf.stack(perBatch), 0));
  tf.dispose(perBatch);
  const [lossSum, correct] = (await totals.data()) as Float32Array;
  totals.dispose();
  return { loss: lossSum! / count, accuracy: correct! / count };
}

/** Test loss, accuracy, confusion matrix and per-class accuracy. */
export async function evaluateTest(
  model: Model,
  split: DeviceSplit,
  classes: number,
): Promise<TestEvaluation> {
  const { loss } = await evaluateSplit(model, split, classes);
  const parts: tf.Tensor[] = [];
  for (let start = 0; start < split.count; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.count - start);
    parts.push(
      tf.tidy(() =>
        tf.argMax(model.apply(tf.slice(split.images, [start, 0], [size, -1]), { training: false }), 1),
      ),
    );
  }
  const predictions = tf.concat(parts);
  tf.dispose(parts);
  const predicted = (await predictions.data()) as Int32Array;
  const actual = (await split.labels.data()) as Int32Array;
  predictions.dispose();
  return summariseTest(loss, predicted, actual, classes);
}

/** The test event's numbers from the predicted and actual labels of every test example. */
export function summariseTest(
  loss: number,
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  classes: number,
): TestEvaluation {
  const confusionMatrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) confusionMatrix[actual[i]!]![predicted[i]!]! += 1;
  const perClassAccuracy = confusionMatrix.map((row, label) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : row[label]! / total;
  });
  const correct = confusionMatrix.reduce((sum, row, label) => sum + row[label]!, 0);
  return { loss, accuracy: correct / actual.length, confusionMatrix, perClassAccuracy };
}
