import * as tf from "@tensorflow/tfjs-core";
import { CoreError } from "../errors.ts";
import type { DatasetShape } from "../train/events.ts";
import { buildModel } from "./build.ts";
import type { Model } from "./model.ts";
import type { SerializedTensor } from "./parameters.ts";
import type { ModelSpec } from "./spec.ts";

export interface Predictor {
  /** Class probabilities for images given as raw pixels (0-255), `rows * columns` values each. */
  predict(images: ArrayLike<number>[]): number[][];
  dispose(): void;
}

/** Loads saved weights into a model by parameter name. */
export function loadWeights(model: Model, weights: SerializedTensor[]): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  for (const { name, variable } of [...model.parameters, ...model.buffers]) {
    const saved = byName.get(name);
    if (!saved || saved.values.length !== variable.size) {
      throw new CoreError("INVALID_CONFIG", `weights do not match the model: ${name}`);
    }
    // assign copies the value into the variable: the temporary is freed here, or every load leaks the weights.
    tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape)));
  }
}

/** A trained model ready to classify raw images, on the prepared backend. */
export function createPredictor(
  spec: ModelSpec,
  weights: SerializedTensor[],
  shape: DatasetShape,
): Predictor {
  const model = buildModel(spec, { ...shape, seed: 0 });
  try {
    loadWeights(model, weights);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const size = shape.rows * shape.columns;
  return {
    predict(images) {
      images.forEach((image, i) => {
        if (image.length !== size) {
          throw new CoreError("INVALID_CONFIG", `image ${i} has ${image.length} values, expected ${size}`);
        }
      });
      const probabilities = tf.tidy(() => {
        const flat = new Float32Array(images.length * size);
        images.forEach((image, i) => {
          for (let k = 0; k < size; k++) flat[i * size + k] = (image[k]! / 255 - shape.mean) / shape.std;
        });
        return tf.softmax(model.apply(tf.tensor2d(flat, [images.length, size]), { training: false }));
      });
      const rows = probabilities.arraySync() as number[][];
      probabilities.dispose();
      return rows;
    },
    dispose() {
      model.dispose();
    },
  };
}
