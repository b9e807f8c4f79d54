import { type Objective, type ObjectiveMetric, ObjectiveMetricSchema } from "@sweeplab/contract";
import { CoreError } from "../errors.ts";
import type { RunConfig } from "../train/config.ts";
import { estimateRunMemory } from "../train/memory.ts";
import type { Direction } from "./direction.ts";

// The objective shapes cross the wire: they live in @sweeplab/contract.
export type { Objective, ObjectiveMetric } from "@sweeplab/contract";
export { ObjectiveMetricSchema, ObjectiveSchema, ObjectivesSchema } from "@sweeplab/contract";

/**
 * Seed-to-seed std assumed per metric when nothing was repeated: 0.15 points of accuracy (the leaderboard's
 * default), 0.005 of cross-entropy, 0.5 ms per step (timing jitter on a shared machine); the size metrics come
 * from the config alone and do not vary with the seed.
 */
export const DEFAULT_SEED_STD: Readonly<Record<ObjectiveMetric, number>> = {
  validationAccuracy: 0.0015,
  validationLoss: 0.005,
  msPerStep: 0.5,
  parameterCount: 0,
  peakMemoryEstimate: 0,
};

/** One run's results, as a sweep reads them; a value is null (or absent) when the run did not produce it. */
export type TrialResults = Partial<Record<ObjectiveMetric, number | null>>;

/** What a finished run reports, from which its TrialResults are read. */
export interface RunOutcome {
  /** The run's config; parameterCount and peakMemoryEstimate are derived from it when not reported. */
  config?: RunConfig;
  /** The last evaluation's validation results (the leaderboard's metric for validation sweeps). */
  lastEval?: { validationAccuracy: number | null; validationLoss: number | null };
  /** The run's mean time per training step. */
  msPerStep?: number | null;
  /** From the run's `started` event. */
  parameterCount?: number | null;
}

/**
 * A run's results on every objective metric: validation metrics from its last evaluation (as the single-metric
 * sweep reads them), msPerStep as reported, parameterCount as reported or estimated, and peakMemoryEstimate from
 * estimateRunMemory(config).total (bytes). A metric the run cannot give is null.
 */
export function readTrialResults(outcome: RunOutcome): TrialResults {
  const estimate = outcome.config ? estimateRunMemory(outcome.config) : null;
  return {
    validationAccuracy: outcome.lastEval?.validationAccuracy ?? null,
    validationLoss: outcome.lastEval?.validationLoss ?? null,
    msPerStep: outcome.msPerStep ?? null,
    parameterCount: outcome.parameterCount ?? estimate?.parameterCount ?? null,
    peakMemoryEstimate: estimate?.total ?? null,
  };
}

/** The objective's value in `results`, or null when missing or not finite (the trial then has no point). */
export function readObjective(results: TrialResults, objective: Pick<Objective, "metric">): number | null {
  const value = results[objective.metric];
  return value !== undefined && value !== null && Number.isFinite(value) ? value : null;
}

/** Every objective's value, or null when any is missing: a trial counts on the front only with all of them. */
export function readObjectives(results: TrialResults, objectives: readonly Objective[]): number[] | null {
  const values = objectives.map((o) => readObjective(results, o));
  return values.every((v) => v !== null) ? (values as number[]) : null;
}

const DIRECTION_WORDS: Record<string, Direction> = {
  max: "maximize",
  maximize: "maximize",
  min: "minimize",
  minimize: "minimize",
};

/** Reads `metric:max` / `metric:min` (the CLI's `--objective` form) into an Objective; INVALID_CONFIG otherwise. */
export function parseObjective(text: string): Objective {
  const [metric, word, ...rest] = text.split(":");
  const direction = word === undefined ? undefined : DIRECTION_WORDS[word];
  const parsed = ObjectiveMetricSchema.safeParse(metric);
  if (!parsed.success || !direction || rest.length > 0) {
    throw new CoreError(
      "INVALID_CONFIG",
      `objective "${text}": expected metric:max or metric:min, metric one of ${ObjectiveMetricSchema.options.join(", ")}`,
    );
  }
  return { metric: parsed.data, direction };
}
