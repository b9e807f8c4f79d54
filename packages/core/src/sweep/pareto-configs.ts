import { DEFAULT_SEED_STD, type Objective, readObjective, type TrialResults } from "./objectives.ts";
import { canonicalJson } from "./params-key.ts";
import { paretoFront } from "./pareto.ts";
import { pooledSeedStd, summariseSeeds } from "./seed-noise.ts";
import type { TrialParams } from "./space.ts";

/** A trial as the front needs it; repeats of one config share params and differ in their seed. */
export interface ParetoTrial {
  id: string | number;
  params: TrialParams;
  /** The run's results; a trial missing any objective (failed, still running) does not count. */
  results: TrialResults;
}

/** One config's place on the front. */
export interface ParetoConfig {
  /** Canonical JSON of the params, as the leaderboard's key. */
  key: string;
  params: TrialParams;
  trialIds: (string | number)[];
  /** Trials with every objective. */
  n: number;
  /** Per objective, in the order given: the mean over those trials (null when n is 0). */
  means: (number | null)[];
  /** Per objective: std / sqrt(n), with the leaderboard's pooled fallback below two results. */
  standardErrors: (number | null)[];
  /** No other config beats it beyond seed noise on every objective (false when n is 0). */
  onFront: boolean;
}

/**
 * Groups trials by config and marks the Pareto front within seed noise: per objective, each config's mean and
 * standard error exactly as buildLeaderboard computes them (a config trained once borrows the pooled std of the
 * repeated ones, or the objective's assumedSeedStd, DEFAULT_SEED_STD by default), then paretoFront over the
 * configs with a result. Configs come back in first-trial order.
 */
export function buildParetoFront(
  trials: readonly ParetoTrial[],
  objectives: readonly Objective[],
): ParetoConfig[] {
  // Per config, one column of results per objective (trials with every objective only).
  const groups = new Map<string, { params: TrialParams; ids: (string | number)[]; columns: number[][] }>();
  for (const trial of trials) {
    const key = canonicalJson(trial.params);
    let group = groups.get(key);
    if (!group) {
      group = { params: trial.params, ids: [], columns: objectives.map(() => []) };
      groups.set(key, group);
    }
    group.ids.push(trial.id);
    if (objectives.every((o) => readObjective(trial.results, o) !== null)) {
      for (const [k, o] of objectives.entries()) group.columns[k]!.push(trial.results[o.metric]!);
    }
  }
  const list = [...groups.entries()];
  const fallbackStds = objectives.map((objective, k) =>
    pooledSeedStd(
      list.map(([, g]) => g.columns[k]!),
      objective.assumedSeedStd ?? DEFAULT_SEED_STD[objective.metric],
    ),
  );
  const configs: ParetoConfig[] = list.map(([key, g]) => {
    const summaries = g.columns.map((column, k) => summariseSeeds(column, fallbackStds[k]!));
    return {
      key,
      params: g.params,
      trialIds: g.ids,
      n: g.columns[0]!.length,
      means: summaries.map((s) => s.mean),
      standardErrors: summaries.map((s) => s.standardError),
      onFront: false,
    };
  });
  const scored = configs.filter((c) => c.n > 0);
  const points = scored.map((c) => ({
    means: c.means as number[],
    standardErrors: c.standardErrors as number[],
  }));
  const directions = objectives.map((o) => o.direction);
  for (const i of paretoFront(points, directions)) scored[i]!.onFront = true;
  return configs;
}
