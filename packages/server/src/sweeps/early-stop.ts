import { decideEarlyStopping, type EvalEvent, type MetricPoint, TERMINAL_STATUSES } from "@sweeplab/core";
import type { MetricRecord, RunRecord, Store } from "../store/store.ts";
import type { EarlyStopDecision } from "../workers/worker.ts";
import { latestAttempts } from "./attempts.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { evalsByRun } from "./trials.ts";

/** The value early stopping watches: the sweep's metric where evaluations carry it, else validation accuracy. */
function watched(spec: SweepSpec): {
  pick: (m: MetricRecord) => number | null;
  direction: SweepSpec["direction"];
  label: string;
} {
  return spec.metric === "validationLoss"
    ? { pick: (m) => m.validationLoss, direction: "minimize", label: "validation loss" }
    : { pick: (m) => m.validationAccuracy, direction: "maximize", label: "validation accuracy" };
}

const points = (rows: readonly MetricRecord[], pick: (m: MetricRecord) => number | null): MetricPoint[] =>
  rows.flatMap((m) => {
    const value = pick(m);
    return value === null ? [] : [{ step: m.step, value }];
  });

/**
 * A worker's early-stopping hook: after each evaluation of a sweep trial, the sweep's rule (ASHA or the median
 * rule) looks at this trial's evaluations and its siblings' from the store, and may stop it as `pruned`.
 */
export function createSweepEarlyStop(store: Store) {
  return async (run: RunRecord, _event: EvalEvent): Promise<EarlyStopDecision | undefined> => {
    if (!run.sweepId) return undefined;
    const sweep = await store.getSweep(run.sweepId);
    const spec = sweep?.spec as SweepSpec | undefined;
    if (!spec?.earlyStopping) return undefined;
    const { pick, direction, label } = watched(spec);
    const [metrics, runs] = await Promise.all([
      store.sweepMetrics(run.sweepId),
      // Each trial repeat by its latest attempt (an earlier one, re-run, is no sibling).
      store.sweepRuns(run.sweepId).then(latestAttempts),
    ]);
    const byRun = evalsByRun(metrics);
    const others = runs
      .filter((r) => r.id !== run.id)
      .map((r) => ({
        evals: points(byRun.get(r.id) ?? [], pick),
        completed: TERMINAL_STATUSES.includes(r.status) && r.status === "succeeded",
      }));
    const decision = decideEarlyStopping(spec.earlyStopping, {
      trial: points(byRun.get(run.id) ?? [], pick),
      others,
      direction,
      metricLabel: label,
    });
    return decision.prune ? { rung: decision.rung ?? 0, reason: decision.reason } : undefined;
  };
}
