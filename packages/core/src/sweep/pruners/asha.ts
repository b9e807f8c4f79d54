import { type AshaSettings, type AshaSettingsInput, AshaSettingsSchema } from "@sweeplab/contract";
import { bestFirst } from "../direction.ts";
import { formatMetric, type MetricPoint, type PruneDecision, type PruneInput } from "./pruner.ts";

export type { AshaSettings, AshaSettingsInput } from "@sweeplab/contract";
export { AshaSettingsSchema };

/** The step of rung k. */
export function rungStep(settings: Pick<AshaSettings, "minSteps" | "eta">, rung: number): number {
  return settings.minSteps * settings.eta ** rung;
}

/** A trial's value at a rung: its first evaluation at or after the rung's step (evaluations need not align). */
function valueAtRung(evals: readonly MetricPoint[], step: number): MetricPoint | undefined {
  return evals.find((p) => p.step >= step);
}

/**
 * Decides at this trial's latest evaluation. For every rung this evaluation is the trial's first to reach (the
 * first evaluation at or after the rung's step), the trial's value there is ranked against every value recorded
 * at that rung: the other trials that reached it (their first evaluation at or after its step) and this one.
 * With n such values the trial goes on only when it ranks within the top max(1, floor(n / eta)), ties kept;
 * fewer than minTrialsPerRung values decide nothing. A stopped trial reports the highest rung it failed.
 */
export function decideAsha(input: PruneInput<AshaSettingsInput>): PruneDecision {
  const settings = AshaSettingsSchema.parse(input.settings);
  const label = input.metricLabel ?? "validation accuracy";
  const latest = input.trial.at(-1);
  if (!latest) return { prune: false, rung: null, reason: "no evaluation yet" };
  const previousStep = input.trial.at(-2)?.step ?? Number.NEGATIVE_INFINITY;
  let decision: PruneDecision = {
    prune: false,
    rung: null,
    reason: `step ${latest.step} is not a rung (next at step ${nextRung(settings, latest.step)})`,
  };
  for (let rung = 0; rungStep(settings, rung) <= latest.step; rung++) {
    const step = rungStep(settings, rung);
    if (step <= previousStep) continue;
    const values = [
      latest.value,
      ...input.others.flatMap((o) => {
        const point = valueAtRung(o.evals, step);
        return point ? [point.value] : [];
      }),
    ].sort(bestFirst(input.direction));
    const n = values.length;
    if (n < settings.minTrialsPerRung) {
      decision = {
        prune: false,
        rung,
        reason: `${n} of the ${settings.minTrialsPerRung} trials needed have reached rung ${rung} (step ${step})`,
      };
      continue;
    }
    const keep = Math.max(1, Math.floor(n / settings.eta));
    const cutoff = values[keep - 1]!;
    const worse = input.direction === "maximize" ? latest.value < cutoff : latest.value > cutoff;
    const where = `the top 1/${settings.eta} (${formatMetric(cutoff)}) of ${n} trials at rung ${rung}`;
    const at = `${label} ${formatMetric(latest.value)} at step ${latest.step}`;
    if (worse) {
      return {
        prune: true,
        rung,
        reason: `${at} is ${input.direction === "maximize" ? "below" : "above"} ${where}`,
      };
    }
    decision = { prune: false, rung, reason: `${at} is within ${where}` };
  }
  return decision;
}

function nextRung(settings: AshaSettings, step: number): number {
  let rung = 0;
  while (rungStep(settings, rung) <= step) rung++;
  return rungStep(settings, rung);
}
