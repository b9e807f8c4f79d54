import * as tf from "@tensorflow/tfjs-core";
import { CoreError } from "../errors.ts";
import type { Parameter, SerializedTensor } from "../models/parameters.ts";

/** One zero-initialised slot variable per parameter (a moment or momentum buffer). */
export function createSlots(parameters: Parameter[], slot: string): tf.Variable[] {
  return parameters.map((p) => tf.variable(tf.zerosLike(p.variable), false, `${p.variable.name}/${slot}`));
}

export function restoreSlots(
  slots: { name: string; variable: tf.Variable }[],
  saved: SerializedTensor[],
): void {
  const byName = new Map(saved.map((s) => [s.name, s]));
  for (const { name, variable } of slots) {
    const entry = byName.get(name);
    if (!entry || entry.values.length !== variable.size) {
      throw new CoreError(
        "INVALID_CONFIG",
        `checkpoint has no optimizer slot ${name} of size ${variable.size}`,
      );
    }
    // The temporary is freed once copied into the slot (a resume otherwise leaks every slot's values).
    tf.tidy(() => variable.assign(tf.tensor(entry.values, variable.shape)));
  }
}

export function gradientFor(gradients: tf.NamedTensorMap, parameter: Parameter): tf.Tensor {
  const gradient = gradients[parameter.variable.name];
  if (!gradient) throw new Error(`no gradient for ${parameter.name}`);
  return gradient;
}

/** Whether weight decay touches a parameter: biases and normalisation parameters only when `decayBiases`. */
export function decays(spec: { weightDecay: number; decayBiases: boolean }, parameter: Parameter): boolean {
  return spec.weightDecay > 0 && (spec.decayBiases || !parameter.isBiasLike);
}
