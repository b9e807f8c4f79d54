import type { RunConfig } from "./config.ts";

/** What a run's training needs in memory, by part, in bytes (float32 everywhere). */
export interface RunMemoryEstimate {
  parameters: number;
  /** One gradient per parameter, plus the optimizer's slots (AdamW: two moments; SGD: momentum). */
  gradientsAndOptimizer: number;
  /** Layer outputs kept for the backward pass and their gradients, at the run's batch size. */
  activations: number;
  /** The training images held as float32, once normalised. */
  dataset: number;
  total: number;
  parameterCount: number;
}

const FLOAT = 4;
/** Bundled datasets are 28x28 images in 10 classes, 60,000 for training; custom ones are assumed alike. */
const INPUTS = 28 * 28;
const CLASSES = 10;
const TRAIN_IMAGES = 60_000;
/** Forward outputs, their gradients and a pre-activation copy per layer. */
const ACTIVATION_COPIES = 3;

function layerSizes(config: RunConfig): { parameterCount: number; activationsPerImage: number } {
  const spec = config.model;
  if (spec.kind === "mlp") {
    const widths = [INPUTS, ...Array.from({ length: spec.depth }, () => spec.width), CLASSES];
    let parameterCount = 0;
    for (let i = 1; i < widths.length; i++) parameterCount += widths[i - 1]! * widths[i]! + widths[i]!;
    return { parameterCount, activationsPerImage: widths.reduce((a, b) => a + b, 0) };
  }
  const [c1, c2] = spec.channels;
  const side1 = 28 - 2;
  const side2 = side1 - 2;
  const pooled = Math.floor(side2 / 2) ** 2 * c2;
  const batchNorm = spec.batchNorm ? 4 * (c1 + c2) : 0;
  const parameterCount =
    9 * c1 +
    c1 +
    9 * c1 * c2 +
    c2 +
    batchNorm +
    pooled * spec.denseWidth +
    spec.denseWidth +
    spec.denseWidth * CLASSES +
    CLASSES;
  const activationsPerImage =
    INPUTS +
    side1 ** 2 * c1 * (spec.batchNorm ? 2 : 1) +
    side2 ** 2 * c2 * (spec.batchNorm ? 2 : 1) +
    pooled +
    spec.denseWidth +
    CLASSES;
  return { parameterCount, activationsPerImage };
}

/**
 * A pure, deliberately rough estimate of the memory one training run of `config` needs, for admission control:
 * within a factor of about two of what TensorFlow allocates, never a tiny fraction of it.
 */
export function estimateRunMemory(config: RunConfig): RunMemoryEstimate {
  const { parameterCount, activationsPerImage } = layerSizes(config);
  const slots = config.optimizer.kind === "adamw" ? 2 : 1;
  const parameters = parameterCount * FLOAT;
  const gradientsAndOptimizer = parameterCount * (1 + slots) * FLOAT;
  const activations = config.batchSize * activationsPerImage * ACTIVATION_COPIES * FLOAT;
  const dataset = TRAIN_IMAGES * INPUTS * FLOAT;
  return {
    parameters,
    gradientsAndOptimizer,
    activations,
    dataset,
    total: parameters + gradientsAndOptimizer + activations + dataset,
    parameterCount,
  };
}
