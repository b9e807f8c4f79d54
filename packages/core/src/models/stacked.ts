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

/** Whether K trials of this architecture can train stacked; the reason when not. */
export function stackingUnsupported(spec: ModelSpec): string | undefined {
  if (spec.kind !== "mlp") return "batched training supports the MLP only for now";
  if (spec.dropout > 0) return "batched training does not support dropout yet";
  return undefined;
}

function fromVariables(spec: ModelSpec, parameters: Parameter[]): StackedModel {
  if (spec.kind !== "mlp") throw new CoreError("INVALID_CONFIG", stackingUnsupported(spec)!);
  const trials = parameters[0]!.variable.shape[0]!;
  const slice = (variable: tf.Variable, k: number) => tf.squeeze(tf.slice(variable, [k], [1]), [0]);
  return {
    spec,
    trials,
    parameters,
    apply: (images) =>
      applyMlp(
        spec,
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
            applyMlp(
              spec,
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
      return fromVariables(spec, chosen);
    },
    dispose: () => tf.dispose(parameters.map((p) => p.variable)),
  };
}

/** Stacks models built alike (same spec; their own seeds) into one; the models themselves are left as they were. */
export function stackModels(models: Model[]): StackedModel {
  const first = models[0]!;
  const reason = stackingUnsupported(first.spec);
  if (reason) throw new CoreError("INVALID_CONFIG", reason);
  const parameters = tf.tidy(() =>
    first.parameters.map((p, j) => ({
      name: p.name,
      isBiasLike: p.isBiasLike,
      variable: createConstantParameter(p.name, tf.stack(models.map((m) => m.parameters[j]!.variable)), true),
    })),
  );
  return fromVariables(first.spec, parameters);
}
