import { CoreError } from "../errors.ts";
import type { RunConfigInput } from "../train/config.ts";
import { parseRunConfig } from "../train/run-config.ts";
import type { SweepMethod } from "./samplers/propose.ts";
import { parseSearchSpace, type SearchSpace, type SearchSpaceInput } from "./space.ts";

/** A ready-made sweep: what to train, what to vary, and how to choose. */
export interface SweepPreset {
  name: string;
  description: string;
  /** The config every trial starts from; the space's parameters are written over it. */
  base: RunConfigInput;
  space: SearchSpace;
  method: SweepMethod;
  /** The number of trials the study ran (the grid size for a grid). */
  defaultTrials: number;
}

/**
 * The reference study's random search: batch size {64, 128, 256}; AdamW with peak lr log-uniform in
 * [3e-4, 3e-3], or SGD with momentum 0.9 and peak lr log-uniform in [3e-2, 2e-1]; activation {silu, relu}.
 */
export const REFERENCE_SPACE: SearchSpaceInput = {
  parameters: [
    { name: "batchSize", path: "batchSize", type: "categorical", values: [64, 128, 256] },
    {
      name: "optimizer",
      path: "optimizer",
      type: "categorical",
      values: [{ kind: "adamw" }, { kind: "sgd", momentum: 0.9 }],
    },
    {
      name: "adamwLearningRate",
      path: "optimizer.learningRate",
      type: "log-uniform",
      low: 3e-4,
      high: 3e-3,
      condition: { path: "optimizer.kind", equals: "adamw" },
    },
    {
      name: "sgdLearningRate",
      path: "optimizer.learningRate",
      type: "log-uniform",
      low: 3e-2,
      high: 2e-1,
      condition: { path: "optimizer.kind", equals: "sgd" },
    },
    { name: "activation", path: "model.activation", type: "categorical", values: ["silu", "relu"] },
  ],
};

/** Cosine decay from the peak to 2 % of it, no warm-up, as in the study. */
const COSINE = { kind: "cosine", warmupSteps: 0, floorRatio: 0.02 } as const;

const seedMlp: SweepPreset = {
  name: "seed-mlp",
  description:
    "The reference study's MLP search: 2 hidden layers of 512, cosine schedule; batch {64, 128, 256}, AdamW " +
    "(lr 3e-4..3e-3, log) or SGD momentum 0.9 (lr 3e-2..2e-1, log), activation {silu, relu}; random search.",
  base: { model: { kind: "mlp", depth: 2, width: 512, dropout: 0 }, schedule: COSINE, steps: 1000 },
  space: parseSearchSpace(REFERENCE_SPACE),
  method: "random",
  defaultTrials: 10,
};

const seedCnn: SweepPreset = {
  name: "seed-cnn",
  description:
    "The reference study's CNN search on PyTorch's MNIST example net (conv 32, conv 64, max-pool, dropout 0.25, " +
    "dense 128, dropout 0.5; it reproduces the study's 99.25 %, the plain CNN gives 99.06 %), " +
    "cosine schedule; the same batch, optimizer, learning-rate and activation space as seed-mlp; random search.",
  base: { model: { kind: "cnn", dropout: 0.25, denseDropout: 0.5 }, schedule: COSINE, steps: 1000 },
  space: parseSearchSpace(REFERENCE_SPACE),
  method: "random",
  defaultTrials: 10,
};

/**
 * The study's follow-up around a best config: width {512, 768} x weight decay {0, 1e-4, 1e-3}, a 6-point grid.
 * Width is the MLP's hidden width, or the CNN's dense width. The rest of `best` is kept as it is.
 */
export function seedFollowupPreset(best: RunConfigInput): SweepPreset {
  const kind = parseRunConfig(best).model.kind;
  return {
    name: "seed-followup",
    description:
      `Width {512, 768} x weight decay {0, 1e-4, 1e-3} around a given best ${kind.toUpperCase()} config ` +
      "(a 6-point grid; width is the MLP's hidden width or the CNN's dense width).",
    base: structuredClone(best),
    space: parseSearchSpace({
      parameters: [
        {
          name: "width",
          path: kind === "mlp" ? "model.width" : "model.denseWidth",
          type: "categorical",
          values: [512, 768],
        },
        { name: "weightDecay", path: "optimizer.weightDecay", type: "categorical", values: [0, 1e-4, 1e-3] },
      ],
    }),
    method: "grid",
    defaultTrials: 6,
  };
}

/** The presets by name; `seed-followup` needs the best config to centre on. */
export const SWEEP_PRESET_NAMES = ["seed-mlp", "seed-cnn", "seed-followup"] as const;
export type SweepPresetName = (typeof SWEEP_PRESET_NAMES)[number];

/**
 * A preset by name (a fresh copy each call). `seed-followup` requires `best`; unknown names are INVALID_CONFIG.
 */
export function getSweepPreset(name: string, best?: RunConfigInput): SweepPreset {
  switch (name) {
    case "seed-mlp":
      return structuredClone(seedMlp);
    case "seed-cnn":
      return structuredClone(seedCnn);
    case "seed-followup":
      if (!best)
        throw new CoreError("INVALID_CONFIG", "preset seed-followup needs the best config to centre on");
      return seedFollowupPreset(best);
    default:
      throw new CoreError(
        "INVALID_CONFIG",
        `unknown sweep preset "${name}" (known: ${SWEEP_PRESET_NAMES.join(", ")})`,
      );
  }
}
