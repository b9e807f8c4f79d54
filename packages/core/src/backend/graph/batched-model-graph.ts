import type { ModelSpec } from "../../models/spec.ts";
// One rule for what a group can hold, on either path: the MLP and the CNN, without dropout or batch norm.
import { stackingUnsupported } from "../../models/stacked.ts";
import type { GraphTensor } from "./addon.ts";
import type { GraphBuilder, GraphVariable } from "./builder.ts";
import { activate, buildForward, type GraphModelShape, pooledFeatures } from "./model-graph.ts";

/**
 * How the K trials' forward passes are laid out in the graph. `per-trial`: K copies of the single model's forward
 * pass (model-graph.ts), each on its own weights, side by side; TensorFlow's CPU graph optimizer fuses each one's
 * matmul, bias and activation, and on the CPU this measured faster than one batched matmul (BENCHMARKS.md).
 * `stacked`: one batched matmul per layer over the trial axis, a kernel per layer for all trials (for a GPU, where
 * launches rather than arithmetic bound small models).
 */
export type BatchedLayout = "per-trial" | "stacked";

/** Images [K, n, pixels] to logits [K, n, classes] through K single-model forward passes on trial k's variables. */
export function buildPerTrialForward(
  g: GraphBuilder,
  spec: ModelSpec,
  shape: GraphModelShape,
  trialVariables: Map<string, GraphVariable>[],
  images: GraphTensor,
): GraphTensor {
  const unsupported = stackingUnsupported(spec);
  if (unsupported) throw new Error(unsupported);
  const unpacked = g.op("Unpack", "unpack_images", [images], [["num", "int", trialVariables.length]]);
  const logits = trialVariables.map(
    (vars, k) => buildForward(g, spec, shape, vars, { images: [unpacked, k], training: false }).logits,
  );
  return g.out("Pack", "pack_logits", [logits], [["axis", "int", 0]]);
}

/** A stacked weight's read, by the single model's parameter name: [K, ...its shape]. */
export type StackedReads = Map<string, GraphTensor>;

function weight(reads: StackedReads, name: string): GraphTensor {
  const read = reads.get(name);
  if (!read) throw new Error(`the batched graph has no variable ${name}`);
  return read;
}

/** x [K, n, in] times kernel [K, in, out] plus bias [K, out]: each trial with its own weights. */
function stackedDense(
  g: GraphBuilder,
  x: GraphTensor,
  reads: StackedReads,
  layer: string,
  trials: number,
): GraphTensor {
  const product = g.out("BatchMatMulV2", "batch_matmul", [x, weight(reads, `${layer}/kernel`)]);
  return g.binary("AddV2", product, g.reshape(weight(reads, `${layer}/bias`), [trials, 1, -1]));
}

/**
 * The forward pass of K trials of core's MLP or CNN over stacked weights, as models/stacked.ts computes it eagerly:
 * images [K, n, rows * columns] to logits [K, n, classes], trial k seeing only its own weights. The MLP's layers
 * are one batched matmul each; the CNN's convolutions run per trial (TensorFlow's CPU kernels have no grouped
 * convolution), side by side in the graph, and its dense layers batched.
 */
export function buildStackedForward(
  g: GraphBuilder,
  spec: ModelSpec,
  shape: GraphModelShape,
  trials: number,
  reads: StackedReads,
  images: GraphTensor,
): GraphTensor {
  const unsupported = stackingUnsupported(spec);
  if (unsupported) throw new Error(unsupported);
  if (spec.kind === "mlp") {
    let x = images;
    for (let i = 0; i <= spec.depth; i++) {
      x = stackedDense(g, x, reads, `dense${i}`, trials);
      if (i < spec.depth) x = activate(g, x, spec.activation);
    }
    return x;
  }
  const unpack = (x: GraphTensor, name: string): GraphTensor[] => {
    const op = g.op("Unpack", name, [x], [["num", "int", trials]]);
    return Array.from({ length: trials }, (_, k) => [op, k] as const);
  };
  const perTrialImages = unpack(images, "unpack_images");
  const [kernel1, bias1, kernel2, bias2] = ["conv1/kernel", "conv1/bias", "conv2/kernel", "conv2/bias"].map(
    (name) => unpack(weight(reads, name), `unpack_${name.replace("/", "_")}`),
  );
  const flat = pooledFeatures(spec, shape);
  const pooled = perTrialImages.map((trialImages, k) => {
    let x = g.reshape(trialImages, [-1, shape.rows, shape.columns, 1]);
    for (const [kernel, bias] of [
      [kernel1![k]!, bias1![k]!],
      [kernel2![k]!, bias2![k]!],
    ] as const) {
      x = g.conv2d("conv", x, kernel);
      x = activate(g, g.biasAdd(x, bias), spec.activation);
    }
    return g.reshape(g.maxPool2x2(x), [-1, flat]);
  });
  const stacked = g.out("Pack", "pack_pooled", [pooled], [["axis", "int", 0]]);
  const hidden = activate(g, stackedDense(g, stacked, reads, "dense1", trials), spec.activation);
  return stackedDense(g, hidden, reads, "dense2", trials);
}
