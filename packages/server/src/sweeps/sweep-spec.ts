import { z } from "@hono/zod-openapi";
import { type SweepBudget, SweepBudgetSchema } from "@sweeplab/contract";
import {
  type CompletedTrial,
  EarlyStoppingSchema,
  getSweepPreset,
  gridSize,
  type Objective,
  ObjectiveSchema,
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
    /**
     * Seeds per config: the leaderboard reports their mean and spread. `"auto"` (racing): every config one seed,
     * then further seeds only for configs whose interval overlaps the best's, up to `maxRepeats`.
     */
    repeats: z.union([z.int().min(1).max(10), z.literal("auto")]).default(1),
    /** With `repeats: "auto"`: the most seeds a config gets. Default 3. */
    maxRepeats: z.int().min(2).max(10).optional(),
    /**
     * Two or more objectives make the result a Pareto front within seed noise (the leaderboard still ranks by
     * `metric` and marks front members); one objective is the same as naming it as the `metric`.
     */
    objectives: z.array(ObjectiveSchema).min(1).max(5).optional(),
    earlyStopping: EarlyStoppingSchema.optional(),
    /**
     * What the leaderboard ranks by. Default validationAccuracy (with objectives: the first validation objective).
     * Left undefined when not sent, so that it can be checked against `objectives`.
     */
    metric: z
      .enum(Object.keys(SWEEP_METRICS) as [SweepMetric, ...SweepMetric[]])
      .optional()
      .openapi({ default: "validationAccuracy" }),
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
  method: "random" | "grid" | "tpe" | "motpe";
  tpe: z.infer<typeof TpeOptionsSchema>;
  trials: number;
  parallelism: number;
  seed: number;
  /** Seeds per config; with adaptiveRepeats, the most a config gets (older specs lack adaptiveRepeats). */
  repeats: number;
  adaptiveRepeats?: boolean;
  /** Two or more; absent or null for a single-metric sweep. */
  objectives?: Objective[] | null;
  earlyStopping: z.infer<typeof EarlyStoppingSchema> | null;
  metric: SweepMetric;
  direction: "maximize" | "minimize";
  maxConsecutiveFailures: number;
  /** Absent in specs stored before budgets. */
  budget?: SweepBudget | null;
  /** The earlier sweep's trials that fit this space, renumbered before trial 0 (sweeps/warm-start.ts). */
  warmStart?: { sweepId: string; trials: CompletedTrial[] } | null;
}

/** `repeats: "auto"` without `maxRepeats`: the fixed count racing saves runs against. */
export const DEFAULT_MAX_REPEATS = 3;

const isSweepMetric = (name: string): name is SweepMetric => name in SWEEP_METRICS;

/**
 * The ranking metric and the objectives of a request, consistent with each other, or INVALID_SWEEP: each objective
 * metric once; an objective on a sweep metric in that metric's direction; one objective only a sweep metric (it
 * becomes `metric`); `metric`, when named beside two or more objectives, one of them (by default the first
 * validation objective, else validation accuracy); `motpe` only with two or more.
 */
function resolveObjectives(
  body: SweepCreate,
  method: SweepSpec["method"],
): { metric: SweepMetric; objectives: Objective[] | null } {
  const list = body.objectives ?? [];
  const names = list.map((o) => o.metric);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new DomainError("INVALID_SWEEP", `objective ${repeated} is named twice`);
  for (const o of list) {
    if (isSweepMetric(o.metric) && SWEEP_METRICS[o.metric] !== o.direction) {
      throw new DomainError(
        "INVALID_SWEEP",
        `objective ${o.metric} must ${SWEEP_METRICS[o.metric]} (got ${o.direction})`,
      );
    }
  }
  if (method === "motpe" && list.length < 2) {
    throw new DomainError(
      "INVALID_SWEEP",
      `method motpe searches two or more objectives (got ${list.length}): name them in \`objectives\`, or use tpe for one metric`,
    );
  }
  if (list.length === 1) {
    const only = list[0]!;
    if (!isSweepMetric(only.metric)) {
      throw new DomainError(
        "INVALID_SWEEP",
        `a single objective must be a sweep metric (validationAccuracy or validationLoss), got ${only.metric}: name two or more objectives for a Pareto front`,
      );
    }
    if (body.metric !== undefined && body.metric !== only.metric) {
      throw new DomainError(
        "INVALID_SWEEP",
        `metric ${body.metric} and the single objective ${only.metric} disagree: name one`,
      );
    }
    return { metric: only.metric, objectives: null };
  }
  if (list.length === 0) return { metric: body.metric ?? "validationAccuracy", objectives: null };
  if (body.metric !== undefined && !(names as string[]).includes(body.metric)) {
    throw new DomainError(
      "INVALID_SWEEP",
      `metric ${body.metric} ranks the leaderboard of a multi-objective sweep: it must be one of its objectives (${names.join(", ")})`,
    );
  }
  const firstValidation = (names as string[]).find(isSweepMetric) as SweepMetric | undefined;
  const metric = body.metric ?? firstValidation ?? "validationAccuracy";
  return { metric, objectives: list };
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
  const { metric, objectives } = resolveObjectives(body, method);
  const adaptiveRepeats = body.repeats === "auto";
  if (body.maxRepeats !== undefined && !adaptiveRepeats) {
    throw new DomainError("INVALID_SWEEP", '`maxRepeats` goes with `repeats: "auto"`');
  }
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
    repeats: adaptiveRepeats ? (body.maxRepeats ?? DEFAULT_MAX_REPEATS) : (body.repeats as number),
    adaptiveRepeats,
    objectives,
    earlyStopping: body.earlyStopping ?? null,
    metric,
    direction: SWEEP_METRICS[metric],
    maxConsecutiveFailures: body.maxConsecutiveFailures,
    // An empty budget is no budget.
    budget: body.budget && Object.keys(body.budget).length > 0 ? body.budget : null,
    warmStart: null,
  };
  await checkTrialConfigs(spec, admission);
  return spec;
}
