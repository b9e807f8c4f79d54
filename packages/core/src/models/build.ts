import { buildCnn } from "./cnn.ts";
import { buildMlp } from "./mlp.ts";
import type { Model } from "./model.ts";
import type { ModelSpec } from "./spec.ts";

/** Builds the network a spec describes, for images of `rows x columns` and `classes` labels. */
export function buildModel(
  spec: ModelSpec,
  shape: { rows: number; columns: number; classes: number; seed: number },
): Model {
  return spec.kind === "mlp"
    ? buildMlp(spec, { inputs: shape.rows * shape.columns, classes: shape.classes, seed: shape.seed })
    : buildCnn(spec, shape);
}
