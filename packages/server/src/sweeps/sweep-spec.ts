import { z } from "@hono/zod-openapi";
import { type SweepBudget, SweepBudgetSchema } from "@sweeplab/contract";
import {
  type CompletedTrial,
  EarlyStoppingSchema,
  getSweepPreset,
  gridSize,
  parseRunConfig,
  parseSearchSpace,
  type RunConfigInput,
  RunConfigSchema,
  type SearchSpace,
  SearchSpaceSchema,
  SWEEP_PRESET_NAMES,
  SweepMethodSchema,
  TpeOptionsSchema,
} from "@sweeplab/core";
import type { Admission } from "../admission.ts";
import { DomainError } from "../domain-error.ts";
import { checkTrialConfigs } from "./check-trials.ts";

/** What a sweep optimises, read from each finished trial. */
export const SWEEP_METRICS = {
  /** Validation accuracy at the trial's last evaluation. */
  validationAccuracy: "maximize",
  /** Validation loss at the trial's last evaluation. */
  validationLoss: "minimize",
  /** Test accuracy after training (peeking at the test set: for reports, not for choosing). */
  testAccuracy: "maximize",
} as const;
export type SweepMetric = keyof typeof SWEEP_METRICS;

export const SweepCreateSchema = z
  .strictObject({
    name: z.string().max(200).optional(),
    /** A ready-made study (`seed-mlp`, `seed-cnn`, `seed-followup`): its base config, space and method. */
    preset: z.enum(SWEEP_PRESET_NAMES).optional(),
    /** The config every trial starts from (over the preset's, when one is named). */
    base: RunConfigSchema.optional(),
    /** The parameters to vary (the preset's when omitted). */
    space: SearchSpaceSchema.optional(),
    method: SweepMethodSchema.optional(),
    tpe: TpeOptionsSchema.optional(),
    /** Configs to propose (each trained `repeats` times). */
    trials: z.int().min(1).max(1000).optional(),
    /** Trials training at once (across every worker sharing the store). */
    parallelism: z.int().min(1).max(64).default(2),
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Seeds per config: the leaderboard reports their mean and spread. */
    repeats: z.int().min(1).max(10).default(1),
    earlyStopping: EarlyStoppingSchema.optional(),
    metric: z
      .enum(Object.keys(SWEEP_METRICS) as [SweepMetric, ...SweepMetric[]])
      .default("validationAccuracy"),
    /** This many trials in a row that fail or diverge stop the sweep. */
    maxConsecutiveFailures: z.int().min(1).max(100).default(5),
    /** Limits that stop the sweep by itself (wall clock, trial runs), the reason recorded in `stopReason`. */
    budget: SweepBudgetSchema.optional(),
    /** An earlier sweep (same metric) whose finished trials, where they fit this space, seed the sampler. */
    warmStartFrom: z.string().min(1).max(64).optional(),
  })
  .openapi("SweepCreate");
export type SweepCreate = z.infer<typeof SweepCreateSchema>;

/** A sweep as stored: the request with its preset resolved, so it runs the same after any restart. */
export interface SweepSpec {
  preset: string | null;
  base: RunConfigInput;
  space: SearchSpace;
  method: "random" | "grid" | "tpe";
  tpe: z.infer<typeof TpeOptionsSchema>;
  trials: number;
  parallelism: number;
  seed: number;
  repeats: number;
  earlyStopping: z.infer<typeof EarlyStoppingSchema> | null;
  metric: SweepMetric;
  direction: "maximize" | "minimize";
  maxConsecutiveFailures: number;
  /** Absent in specs stored before budgets. */
  budget?: SweepBudget | null;
  /** The earlier sweep's trials that fit this space, renumbered before trial 0 (sweeps/warm-start.ts). */
  warmStart?: { sweepId: string; trials: CompletedTrial[] } | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `over` written onto `base`, objects merged key by key (a different `kind` replaces the object whole). */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  if ("kind" in over && base.kind !== over.kind) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeConfig(base[key], value);
  return out;
}

/**
 * Resolves a request into the spec the scheduler runs, its trials checked through admission; a bad space or base,
 * or a trial the queue would refuse, throws INVALID_SWEEP (a CoreError INVALID_CONFIG for a space that does not parse).
 */
export async function resolveSweepSpec(
  body: SweepCreate,
  rawBase: unknown,
  admission: Admission,
): Promise<SweepSpec> {
  const preset = body.preset ? getSweepPreset(body.preset, rawBase as RunConfigInput | undefined) : undefined;
  if (!preset && !body.space) {
    throw new DomainError("INVALID_SWEEP", "a sweep needs a `space` or a `preset`");
  }
  // The raw request base (not the parsed one, whose defaults would overwrite the preset's).
  const base = (preset ? mergeConfig(preset.base, rawBase ?? {}) : (rawBase ?? {})) as RunConfigInput;
  const space = body.space ? parseSearchSpace(body.space) : preset!.space;
  parseRunConfig(base);
  const method = body.method ?? preset?.method ?? "random";
  const spec: SweepSpec = {
    preset: body.preset ?? null,
    base,
    space,
    method,
    tpe: body.tpe ?? {},
    // A grid searched without a trial count visits every point.
    trials: body.trials ?? preset?.defaultTrials ?? (method === "grid" ? gridSize(space, base, 1000) : 10),
    parallelism: body.parallelism,
    seed: body.seed,
    repeats: body.repeats,
    earlyStopping: body.earlyStopping ?? null,
    metric: body.metric,
    direction: SWEEP_METRICS[body.metric],
    maxConsecutiveFailures: body.maxConsecutiveFailures,
    // An empty budget is no budget.
    budget: body.budget && Object.keys(body.budget).length > 0 ? body.budget : null,
    warmStart: null,
  };
  await checkTrialConfigs(spec, admission);
  return spec;
}
