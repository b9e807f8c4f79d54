import { z } from "zod";
import { DatasetSpecSchema } from "./dataset-spec.ts";
import { ModelSpecSchema } from "./model-spec.ts";
import { OptimizerSpecSchema } from "./optimizer-spec.ts";
import { ScheduleSpecSchema } from "./schedule-spec.ts";
import { strictObject } from "./strict-object.ts";

export const MAX_STEPS = 200_000;
export const MAX_BATCH_SIZE = 4096;
/** At most this many `step` events per run: logEverySteps >= ceil(steps / MAX_STEP_EVENTS). */
export const MAX_STEP_EVENTS = 10_000;
/** At most this many `eval` events (each a pass over the validation set): evalEverySteps >= ceil(steps / 1000). */
export const MAX_EVAL_EVENTS = 1_000;

export const AugmentSpecSchema = strictObject({
  maxShiftPixels: z.number().min(0).max(8).default(2),
  maxRotationDegrees: z.number().min(0).max(45).default(10),
}).meta({ id: "AugmentSpec" });

/**
 * Everything that decides a training run. Parsed with defaults, it is recorded with the run (with the backend and
 * package versions) so the run can be repeated; the service publishes this schema as its RunConfig.
 */
export const RunConfigSchema = strictObject({
  dataset: DatasetSpecSchema.default("mnist"),
  model: ModelSpecSchema.default({ kind: "mlp", depth: 2, width: 512, activation: "silu", dropout: 0 }),
  optimizer: OptimizerSpecSchema.default({
    kind: "adamw",
    learningRate: 9.804e-4,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: 0,
    decayBiases: false,
  }),
  schedule: ScheduleSpecSchema.default({ kind: "cosine", warmupSteps: 0, floorRatio: 0.02 }),
  /** Optimizer updates in the whole run. */
  steps: z.int().min(1).max(MAX_STEPS).default(1000),
  batchSize: z.int().min(1).max(MAX_BATCH_SIZE).default(256),
  /**
   * A `step` event (loss, lr, speed) every so many steps; also how often the loss is checked for NaN. At least
   * steps / MAX_STEP_EVENTS, so a run stores at most 10,000 step events.
   */
  logEverySteps: z.int().min(1).max(MAX_STEPS).default(50),
  /**
   * An `eval` event (train and validation loss and accuracy) every so many steps, and at the last step. At
   * least steps / MAX_EVAL_EVENTS, so a run evaluates at most 1,000 times.
   */
  evalEverySteps: z.int().min(1).max(MAX_STEPS).default(250),
  /** Training images held out for validation. */
  validationSize: z.int().min(0).max(50_000).default(5000),
  /** Random shifts and rotations of training images; `true` takes the defaults. */
  augment: z
    .union([z.boolean(), AugmentSpecSchema])
    .default(false)
    .transform((a) => (a === true ? { maxShiftPixels: 2, maxRotationDegrees: 10 } : a)),
  /** Seeds initialisation, the validation split, batch order, dropout and augmentation. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(0),
})
  .superRefine((config, ctx) => {
    for (const [key, most] of [
      ["logEverySteps", MAX_STEP_EVENTS],
      ["evalEverySteps", MAX_EVAL_EVENTS],
    ] as const) {
      const least = Math.ceil(config.steps / most);
      if (config[key] < least) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `must be at least ${least} for ${config.steps} steps (at most ${most} events per run)`,
        });
      }
    }
  })
  .meta({ id: "RunConfig" });

/** A run's configuration after defaults are filled in. */
export type RunConfig = z.infer<typeof RunConfigSchema>;
/** What a caller may send: every field optional. */
export type RunConfigInput = z.input<typeof RunConfigSchema>;
