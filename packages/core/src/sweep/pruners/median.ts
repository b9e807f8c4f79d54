import { type MedianSettingsInput, MedianSettingsSchema } from "@sweeplab/contract";
import { formatMetric, type PruneDecision, type PruneInput, valueAtOrBefore } from "./pruner.ts";

export type { MedianSettings, MedianSettingsInput } from "@sweeplab/contract";
export { MedianSettingsSchema };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Decides at this trial's latest evaluation (step s): once nStartupTrials trials have completed and s is past
 * warmupSteps, the trial stops when its best value so far is worse than the median of the completed trials'
 * values at s (each one's last evaluation at or before s, which is the one at s when evaluations align).
 */
export function decideMedian(input: PruneInput<MedianSettingsInput>): PruneDecision {
  const settings = MedianSettingsSchema.parse(input.settings);
  const label = input.metricLabel ?? "validation accuracy";
  const latest = input.trial.at(-1);
  if (!latest) return { prune: false, rung: null, reason: "no evaluation yet" };
  const completed = input.others.filter((o) => o.completed);
  if (completed.length < settings.nStartupTrials) {
    return {
      prune: false,
      rung: null,
      reason: `${completed.length} of the ${settings.nStartupTrials} completed trials needed`,
    };
  }
  if (latest.step < settings.warmupSteps) {
    return {
      prune: false,
      rung: null,
      reason: `step ${latest.step} is within the ${settings.warmupSteps} warm-up steps`,
    };
  }
  const values = completed.flatMap((o) => {
    const value = valueAtOrBefore(o.evals, latest.step);
    return value === undefined ? [] : [value];
  });
  if (values.length === 0) {
    return { prune: false, rung: null, reason: `no completed trial has a value at step ${latest.step}` };
  }
  const maximize = input.direction === "maximize";
  const trialValues = input.trial.map((p) => p.value);
  const best = maximize ? Math.max(...trialValues) : Math.min(...trialValues);
  const mid = median(values);
  const worse = maximize ? best < mid : best > mid;
  const what = `best ${label} ${formatMetric(best)} by step ${latest.step}`;
  const against = `the median ${formatMetric(mid)} of ${values.length} completed trials at that step`;
  return worse
    ? { prune: true, rung: null, reason: `${what} is ${maximize ? "below" : "above"} ${against}` }
    : { prune: false, rung: null, reason: `${what} is no worse than ${against}` };
}
