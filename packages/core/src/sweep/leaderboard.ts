import { bestFirst, type Direction, isBetter } from "./direction.ts";
import type { Objective, TrialResults } from "./objectives.ts";
import { canonicalJson } from "./params-key.ts";
import { buildParetoFront } from "./pareto-configs.ts";
import { noiseBand, pooledSeedStd, summariseSeeds } from "./seed-noise.ts";
import type { TrialParams } from "./space.ts";

/** A trial as the leaderboard needs it. Repeats of one config share params and differ in their seed. */
export interface LeaderboardTrial {
  id: string | number;
  params: TrialParams;
  /** The sweep's metric; null for a trial without a result (failed, diverged, pruned, still running). */
  value: number | null;
  /** Every objective's result, for a sweep with several objectives (see LeaderboardOptions.objectives). */
  results?: TrialResults;
}

export interface LeaderboardOptions {
  /** Default `maximize`. */
  direction?: Direction;
  /**
   * The seed-to-seed standard deviation assumed for a config trained once, when no config of the sweep was
   * repeated to measure it. Default 0.0015 (0.15 points of accuracy, a typical seed spread on MNIST at these
   * budgets); set it to your metric's scale when that is not an accuracy.
   */
  assumedSeedStd?: number;
  /** A sweep's objectives (two or more): each entry then says whether its config is on the Pareto front. */
  objectives?: readonly Objective[];
}

/** One config's row. */
export interface LeaderboardEntry {
  /** 1-based, best first; configs without a result come last. */
  rank: number;
  /** Canonical JSON of the params: equal for every repeat of the config. */
  key: string;
  params: TrialParams;
  trialIds: (string | number)[];
  /** The finite results, in trial order. */
  values: number[];
  /** How many results the mean is over. */
  n: number;
  /** Trials of this config without a result. */
  failures: number;
  mean: number | null;
  /** Sample standard deviation (n - 1); null below two results. */
  std: number | null;
  /** The standard error used by the noise test: std / sqrt(n), or the fallback std / sqrt(n) below two results. */
  standardError: number | null;
  /** mean - best mean (negative below the best when maximising). */
  differenceFromBest: number | null;
  /** The best config, or one whose difference from the best is within seed noise (see buildLeaderboard). */
  withinNoise: boolean;
  /**
   * Only with objectives: no other config beats this one beyond seed noise on every objective (buildParetoFront,
   * over the trials' `results`).
   */
  onFront?: boolean;
}

/**
 * Groups trials by config, ranks configs by mean in the metric's direction, and marks those within seed noise of
 * the best: |mean_i - mean_best| <= 2 * sqrt(se_best^2 + se_i^2), two standard errors of the difference (about a
 * two-sided 95 % test under normal noise), se = std / sqrt(n). A config with one result has no std of its own; it
 * borrows the pooled within-config std of the configs that were repeated, sqrt(sum (n_g - 1) s_g^2 / sum (n_g - 1)),
 * or `assumedSeedStd` when none was. With `objectives`, each entry also says whether its config is on the Pareto
 * front within seed noise; the ranking stays by the single metric.
 */
export function buildLeaderboard(
  trials: readonly LeaderboardTrial[],
  options: LeaderboardOptions = {},
): LeaderboardEntry[] {
  const direction = options.direction ?? "maximize";
  const groups = new Map<
    string,
    { params: TrialParams; ids: (string | number)[]; values: number[]; failures: number }
  >();
  for (const trial of trials) {
    const key = canonicalJson(trial.params);
    let group = groups.get(key);
    if (!group) {
      group = { params: trial.params, ids: [], values: [], failures: 0 };
      groups.set(key, group);
    }
    group.ids.push(trial.id);
    if (trial.value !== null && Number.isFinite(trial.value)) group.values.push(trial.value);
    else group.failures += 1;
  }
  const fallbackStd = pooledSeedStd(
    [...groups.values()].map((g) => g.values),
    options.assumedSeedStd ?? 0.0015,
  );
  const rows = [...groups.entries()].map(([key, g]) => {
    const { n, mean, std, standardError } = summariseSeeds(g.values, fallbackStd);
    const { params, ids: trialIds, values, failures } = g;
    return { key, params, trialIds, values, n, failures, mean, std, standardError };
  });
  const order = bestFirst(direction);
  rows.sort((a, b) => (a.mean === null ? 1 : b.mean === null ? -1 : order(a.mean, b.mean)));
  const best = rows[0];
  const front = options.objectives
    ? new Map(
        buildParetoFront(
          trials.map((t) => ({ id: t.id, params: t.params, results: t.results ?? {} })),
          options.objectives,
        ).map((c) => [c.key, c.onFront]),
      )
    : null;
  return rows.map((row, i) => {
    const scored = row.mean !== null && best?.mean != null;
    const differenceFromBest = scored ? row.mean! - best.mean! : null;
    const noise = scored ? noiseBand(best.standardError!, row.standardError!) : 0;
    return {
      ...row,
      rank: i + 1,
      differenceFromBest,
      withinNoise: differenceFromBest !== null && Math.abs(differenceFromBest) <= noise,
      ...(front ? { onFront: front.get(row.key) ?? false } : {}),
    };
  });
}

/** The best value seen up to and including each trial, in the order given; null until a trial has a result. */
export function bestSoFar(
  trials: readonly { value: number | null }[],
  direction: Direction = "maximize",
): (number | null)[] {
  let best: number | null = null;
  return trials.map((t) => {
    if (
      t.value !== null &&
      Number.isFinite(t.value) &&
      (best === null || isBetter(t.value, best, direction))
    ) {
      best = t.value;
    }
    return best;
  });
}
