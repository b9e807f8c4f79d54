import * as tf from "@tensorflow/tfjs-core";
import { CoreError } from "../errors.ts";
import { activate } from "./activations.ts";
import type { Model } from "./model.ts";
import { createConstantParameter, type Parameter } from "./parameters.ts";
import type { ModelSpec } from "./spec.ts";

/**
 * K models of one architecture held as one: every parameter stacked on a leading trial dimension ([K, ...shape]),
 * in the single model's parameter order and under its names, so one set of kernels trains all K.
 */
export interface StackedModel {
  spec: ModelSpec;
  trials: number;
  parameters: Parameter[];
  /** Images [K, batch, pixels] to logits [K, batch, classes]; trial k sees only its own weights. */
  apply(images: tf.Tensor3D): tf.Tensor3D;
  /** Trial k as a plain Model (for evaluation), on copies of its weights; dispose it when done. */
  trialModel(k: number): Model;
  /** Trial k's parameters as the single model names and shapes them. */
  trialParameters(k: number): { name: string; tensor: tf.Tensor }[];
  /** A new stack of the trials at `keep` (in that order); this one is left as it was. */
  select(keep: number[]): StackedModel;
  dispose(): void;
}

/** The MLP's forward pass over stacked weights: kernels [K, in, out], biases [K, out]. */
function applyMlp(
  spec: Extract<ModelSpec, { kind: "mlp" }>,
  weights: tf.Tensor[],
  x: tf.Tensor3D,
): tf.Tensor3D {
  let h: tf.Tensor = x;
  for (let i = 0; i <= spec.depth; i++) {
    h = tf.add(tf.matMul(h, weights[2 * i]!), tf.expandDims(weights[2 * i + 1]!, 1));
    if (i < spec.depth) h = activate(h, spec.activation);
  }
  return h as tf.Tensor3D;
}

/**
 * The CNN's forward pass over stacked weights. tfjs has no grouped convolution, so each trial's two convolutions
 * run on its own images and filters (2K convolution kernels a step instead of 2); pooling and the dense layers
 * then run once for all trials (batched matmul).
 */
function applyCnn(
  spec: Extract<ModelSpec, { kind: "cnn" }>,
  image: { rows: number; columns: number },
  weights: tf.Tensor[],
  x: tf.Tensor3D,
): tf.Tensor3D {
  const [trials, batch] = x.shape;
  const [kernel1, kernel2] = [tf.unstack(weights[0]!), tf.unstack(weights[2]!)];
  const [bias1, bias2] = [tf.unstack(weights[1]!), tf.unstack(weights[3]!)];
  const convolved = tf.unstack(x).map((images, k) => {
    let h = tf.reshape(images, [batch, image.rows, image.columns, 1]) as tf.Tensor4D;
    h = activate(
      tf.add(tf.conv2d(h, kernel1[k] as tf.Tensor4D, 1, "valid"), bias1[k]!),
      spec.activation,
    ) as tf.Tensor4D;
    h = activate(
      tf.add(tf.conv2d(h, kernel2[k] as tf.Tensor4D, 1, "valid"), bias2[k]!),
      spec.activation,
    ) as tf.Tensor4D;
    return h;
  });
  const pooled = tf.maxPool(tf.concat(convolved, 0), 2, 2, "valid");
  let h: tf.Tensor = tf.reshape(pooled, [trials, batch, -1]);
  h = activate(tf.add(tf.matMul(h, weights[4]!), tf.expandDims(weights[5]!, 1)), spec.activation);
  return tf.add(tf.matMul(h, weights[6]!), tf.expandDims(weights[7]!, 1)) as tf.Tensor3D;
}

/** Whether K trials of this architecture can train stacked; the reason when not. */
export function stackingUnsupported(spec: ModelSpec): string | undefined {
  if (spec.dropout > 0) return "batched training does not support dropout yet";
  if (spec.kind === "cnn" && spec.batchNorm) return "batched training does not support batch norm yet";
  return undefined;
}

function fromVariables(spec: ModelSpec, image: ImageShape, parameters: Parameter[]): StackedModel {
  const reason = stackingUnsupported(spec);
  if (reason) throw new CoreError("INVALID_CONFIG", reason);
  const trials = parameters[0]!.variable.shape[0]!;
  const forward = (weights: tf.Tensor[], x: tf.Tensor3D) =>
    spec.kind === "mlp" ? applyMlp(spec, weights, x) : applyCnn(spec, image, weights, x);
  const slice = (variable: tf.Variable, k: number) => tf.squeeze(tf.slice(variable, [k], [1]), [0]);
  return {
    spec,
    trials,
    parameters,
    apply: (images) =>
      forward(
        parameters.map((p) => p.variable),
        images,
      ),
    trialParameters: (k) => parameters.map((p) => ({ name: p.name, tensor: slice(p.variable, k) })),
    trialModel(k) {
      const weights = parameters.map((p) => tf.keep(slice(p.variable, k)));
      return {
        spec,
        parameters: [],
        buffers: [],
        apply: (images) =>
          tf.squeeze(
            forward(
              weights.map((w) => tf.expandDims(w, 0)),
              tf.expandDims(images, 0) as tf.Tensor3D,
            ),
            [0],
          ) as tf.Tensor2D,
        dispose: () => tf.dispose(weights),
      };
    },
    select(keep) {
      // A variable holds its own reference to its value: tidy frees the gathered temporaries, not the variables.
      const chosen = tf.tidy(() => {
        const index = tf.tensor1d(keep, "int32");
        return parameters.map((p) => ({
          ...p,
          variable: createConstantParameter(p.name, tf.gather(p.variable, index), true),
        }));
      });
      return fromVariables(spec, image, chosen);
    },
    dispose: () => tf.dispose(parameters.map((p) => p.variable)),
  };
}

/** Images as the models see them (the CNN reshapes flat pixels to rows x columns). */
export interface ImageShape {
  rows: number;
  columns: number;
}

/** Stacks models built alike (same spec; their own seeds) into one; the models themselves are left as they were. */
export function stackModels(models: Model[], image: ImageShape): StackedModel {
  const first = models[0]!;
  const parameters = tf.tidy(() =>
    first.parameters.map((p, j) => ({
      name: p.name,
      isBiasLike: p.isBiasLike,
      variable: createConstantParameter(p.name, tf.stack(models.map((m) => m.parameters[j]!.variable)), true),
    })),
  );
  return fromVariables(first.spec, image, parameters);
}
