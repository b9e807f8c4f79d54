import type { Activation } from "../../models/activation-names.ts";
import type { ModelSpec } from "../../models/spec.ts";
import { DT, type GraphAttr, type GraphTensor } from "./addon.ts";
import type { GraphBuilder, GraphVariable } from "./builder.ts";

const BATCH_NORM_EPSILON = 1e-5;
/** Weight of the newest batch in the running statistics, as PyTorch's BatchNorm2d (and core's eager path). */
const BATCH_NORM_MOMENTUM = 0.1;

export interface ForwardInputs {
  /** Normalised images [batch, rows * columns]. */
  images: GraphTensor;
  training: boolean;
  /** One [2] int64 seed per dropout layer (training only), fed each step. */
  dropoutSeeds?: GraphTensor[];
}

export interface ForwardResult {
  logits: GraphTensor;
  /** Running-statistics updates of batch norm (training only): run them with the step. */
  updates: string[];
}

export interface GraphModelShape {
  rows: number;
  columns: number;
  classes: number;
}

export function activate(g: GraphBuilder, x: GraphTensor, activation: Activation): GraphTensor {
  switch (activation) {
    case "relu":
      return g.unary("Relu", x);
    case "silu":
      return g.binary("Mul", x, g.unary("Sigmoid", x));
    case "gelu": {
      const erf = g.unary("Erf", g.binary("Mul", x, g.scalar(Math.SQRT1_2)));
      return g.binary("Mul", g.binary("Mul", x, g.scalar(0.5)), g.binary("AddV2", erf, g.scalar(1)));
    }
    case "tanh":
      return g.unary("Tanh", x);
    case "sigmoid":
      return g.unary("Sigmoid", x);
  }
}

/** Inverted dropout as tfjs's: keep where uniform >= rate, scale the kept by 1 / (1 - rate). */
function dropout(g: GraphBuilder, x: GraphTensor, rate: number, seed: GraphTensor | undefined): GraphTensor {
  if (rate <= 0 || !seed) return x;
  const shape = g.out("Shape", "shape", [x], [["out_type", "type", DT.int32]]);
  const uniform = g.out(
    "StatelessRandomUniform",
    "dropout_uniform",
    [shape, seed],
    [["dtype", "type", DT.float]],
  );
  const keep = g.cast(g.binary("GreaterEqual", uniform, g.scalar(rate)), DT.float);
  return g.binary("Mul", x, g.binary("Mul", keep, g.scalar(1 / (1 - rate))));
}

function dense(
  g: GraphBuilder,
  x: GraphTensor,
  vars: Map<string, GraphVariable>,
  layer: string,
): GraphTensor {
  return g.biasAdd(g.matMul(x, read(vars, `${layer}/kernel`)), read(vars, `${layer}/bias`));
}

function read(vars: Map<string, GraphVariable>, name: string): GraphTensor {
  const variable = vars.get(name);
  if (!variable) throw new Error(`the graph has no variable ${name}`);
  return variable.read;
}

function batchNorm(
  g: GraphBuilder,
  x: GraphTensor,
  vars: Map<string, GraphVariable>,
  name: string,
  training: boolean,
): { y: GraphTensor; updates: string[] } {
  const attrs: GraphAttr[] = [
    ["epsilon", "float", BATCH_NORM_EPSILON],
    ["data_format", "string", "NHWC"],
    ["is_training", "bool", training],
    ["U", "type", DT.float],
  ];
  const scale = read(vars, `${name}/scale`);
  const offset = read(vars, `${name}/offset`);
  const runningMean = vars.get(`${name}/running_mean`)!;
  const runningVariance = vars.get(`${name}/running_variance`)!;
  if (!training) {
    const op = g.op(
      "FusedBatchNormV3",
      name,
      [x, scale, offset, runningMean.read, runningVariance.read],
      attrs,
    );
    return { y: [op, 0], updates: [] };
  }
  const empty = g.constant("empty", { dtype: DT.float, shape: [0], data: new Float32Array(0) });
  const op = g.op("FusedBatchNormV3", name, [x, scale, offset, empty, empty], attrs);
  // running <- running * (1 - momentum) + batch * momentum; the batch variance is the unbiased one.
  const blend = (running: GraphVariable, batch: GraphTensor) =>
    g.assign(
      running,
      g.binary(
        "AddV2",
        g.binary("Mul", running.read, g.scalar(1 - BATCH_NORM_MOMENTUM)),
        g.binary("Mul", batch, g.scalar(BATCH_NORM_MOMENTUM)),
      ),
    );
  return { y: [op, 0], updates: [blend(runningMean, [op, 1]), blend(runningVariance, [op, 2])] };
}

/**
 * The forward pass of core's MLP and CNN (models/mlp.ts, models/cnn.ts) written as graph operations over the
 * variables named as the eager model names its parameters, so one set of weights means the same on both paths.
 */
export function buildForward(
  g: GraphBuilder,
  spec: ModelSpec,
  shape: GraphModelShape,
  vars: Map<string, GraphVariable>,
  inputs: ForwardInputs,
): ForwardResult {
  const seed = (layer: number) => (inputs.training ? inputs.dropoutSeeds?.[layer] : undefined);
  if (spec.kind === "mlp") {
    let x = inputs.images;
    for (let i = 0; i <= spec.depth; i++) {
      x = dense(g, x, vars, `dense${i}`);
      if (i === spec.depth) break;
      x = activate(g, x, spec.activation);
      x = dropout(g, x, spec.dropout, seed(i));
    }
    return { logits: x, updates: [] };
  }
  const updates: string[] = [];
  let x = g.reshape(inputs.images, [-1, shape.rows, shape.columns, 1]);
  for (const [i, conv] of ["conv1", "conv2"].entries()) {
    x = g.conv2d(conv, x, read(vars, `${conv}/kernel`));
    x = g.biasAdd(x, read(vars, `${conv}/bias`));
    if (spec.batchNorm) {
      const norm = batchNorm(g, x, vars, `bn${i + 1}`, inputs.training);
      x = norm.y;
      updates.push(...norm.updates);
    }
    x = activate(g, x, spec.activation);
  }
  x = g.maxPool2x2(x);
  let h = dropout(g, g.reshape(x, [-1, pooledFeatures(spec, shape)]), spec.dropout, seed(0));
  h = activate(g, dense(g, h, vars, "dense1"), spec.activation);
  h = dropout(g, h, spec.denseDropout ?? spec.dropout, seed(1));
  return { logits: dense(g, h, vars, "dense2"), updates };
}

/** How many dropout layers draw a mask in training, so the step feeds one seed each. */
/** Features after the CNN's two unpadded 3x3 convolutions and its 2x2 pooling. */
export function pooledFeatures(spec: Extract<ModelSpec, { kind: "cnn" }>, shape: GraphModelShape): number {
  return Math.floor((shape.rows - 4) / 2) * Math.floor((shape.columns - 4) / 2) * spec.channels[1];
}

export function dropoutLayers(spec: ModelSpec): number {
  return spec.kind === "mlp" ? spec.depth : 2;
}
