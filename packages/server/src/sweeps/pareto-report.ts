// A multi-objective sweep's Pareto front within seed noise, from its trials: every config's objective means and
// standard errors (core's buildParetoFront), the front as the API shows it, and the leaderboard's front marks.

import type { SweepPareto } from "@sweeplab/contract";
import {
  buildParetoFront,
  type LeaderboardEntry,
  type Objective,
  type ParetoConfig,
  type ParetoTrial,
  type TrialParams,
  type TrialResults,
} from "@sweeplab/core";
import { specObjectives } from "./objective-results.ts";
import type { SweepSpec } from "./sweep-spec.ts";

export interface SweepParetoReport {
  objectives: Objective[];
  /** Every config, in first-trial order, with `onFront`. */
  configs: ParetoConfig[];
}

/**
 * The front of a sweep with two or more objectives over every run with every objective (`rows` in trial and repeat
 * order, `results` each succeeded run's); null otherwise.
 */
export function buildSweepPareto(
  spec: SweepSpec,
  rows: readonly { runId: string; params: TrialParams }[],
  results: ReadonlyMap<string, TrialResults>,
): SweepParetoReport | null {
  const objectives = specObjectives(spec);
  if (!objectives) return null;
  const runs: ParetoTrial[] = rows.map((r) => ({
    id: r.runId,
    params: r.params,
    results: results.get(r.runId) ?? {},
  }));
  return { objectives, configs: buildParetoFront(runs, objectives) };
}

/** The front as the sweep resource carries it: its configs with means, standard errors and mean -/+ 2 se. */
export function toSweepPareto(report: SweepParetoReport): SweepPareto {
  const front = report.configs
    .filter((c) => c.onFront)
    .map((c) => {
      const means = c.means as number[];
      const standardErrors = c.standardErrors as number[];
      return {
        key: c.key,
        params: c.params,
        trialIds: c.trialIds,
        n: c.n,
        means,
        standardErrors,
        intervals: means.map(
          (m, k) => [m - 2 * standardErrors[k]!, m + 2 * standardErrors[k]!] as [number, number],
        ),
      };
    });
  return {
    objectives: report.objectives,
    front,
    configsScored: report.configs.filter((c) => c.n > 0).length,
  };
}

/** The leaderboard with each entry's `onFront` (unchanged without a front). */
export function markFront(
  leaderboard: LeaderboardEntry[],
  pareto: SweepParetoReport | null,
): LeaderboardEntry[] {
  if (!pareto) return leaderboard;
  const onFront = new Set(pareto.configs.filter((c) => c.onFront).map((c) => c.key));
  return leaderboard.map((entry) => ({ ...entry, onFront: onFront.has(entry.key) }));
}
