// A sweep trial's results on every objective metric, read from its stored run: the validation metrics of its last
// evaluation, its median ms per step, its parameter count (from its `started` event) and its memory estimate.
import {
  type MultiObjectiveTrial,
  type Objective,
  readObjectives,
  readTrialResults,
  type TrialResults,
} from "@sweeplab/core";
import type { MetricRecord, RunRecord } from "../store/store.ts";
import type { SweepSpec } from "./sweep-spec.ts";

/** What a run's objective results are read from: its row, with its config and environment. */
export type ObjectiveRun = Pick<RunRecord, "status" | "config" | "environment" | "msPerStep">;

/** A finished run's results, or null for a run that did not succeed (failed, diverged, pruned, running). */
export function runResults(
  run: ObjectiveRun,
  evals: readonly Pick<MetricRecord, "validationAccuracy" | "validationLoss">[],
): TrialResults | null {
  if (run.status !== "succeeded") return null;
  const last = evals.at(-1);
  return readTrialResults({
    config: run.config,
    lastEval: last
      ? { validationAccuracy: last.validationAccuracy, validationLoss: last.validationLoss }
      : undefined,
    msPerStep: run.msPerStep,
    parameterCount: run.environment?.parameterCount ?? null,
  });
}

/** Each succeeded run's results, for a sweep with two or more objectives (an empty map otherwise). */
export function resultsByRun(
  spec: SweepSpec,
  runs: readonly (ObjectiveRun & { id: string })[],
  evalsByRun: ReadonlyMap<string, readonly Pick<MetricRecord, "validationAccuracy" | "validationLoss">[]>,
): Map<string, TrialResults> {
  const results = new Map<string, TrialResults>();
  if (!specObjectives(spec)) return results;
  for (const run of runs) {
    const r = runResults(run, evalsByRun.get(run.id) ?? []);
    if (r) results.set(run.id, r);
  }
  return results;
}

/** The sweep's objectives when it has two or more (older specs have none). */
export function specObjectives(spec: SweepSpec): Objective[] | null {
  return spec.objectives && spec.objectives.length >= 2 ? spec.objectives : null;
}

/**
 * A done trial as MOTPE reads it: per objective, the mean over its runs; null when a run has no result on every
 * objective (MOTPE counts it among the bad ones, as TPE does a failed trial).
 */
export function multiObjectiveTrial(
  trial: { index: number; params: MultiObjectiveTrial["params"]; results: readonly (TrialResults | null)[] },
  objectives: readonly Objective[],
): MultiObjectiveTrial {
  const rows = trial.results.map((r) => (r ? readObjectives(r, objectives) : null));
  const complete = rows.length > 0 && rows.every((r) => r !== null);
  const values = complete
    ? objectives.map((_, k) => rows.reduce((sum, r) => sum + r![k]!, 0) / rows.length)
    : null;
  return { trialIndex: trial.index, params: trial.params, values };
}
