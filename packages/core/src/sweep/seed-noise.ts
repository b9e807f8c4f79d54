/** The seed-noise rule shared by the leaderboard, the Pareto front and adaptive repeats: one definition, one place. */

/** Sample variance (n - 1) of two or more values. */
export function sampleVariance(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
}

/**
 * The pooled within-config std of the configs with two or more results, sqrt(sum (n_g - 1) s_g^2 / sum (n_g - 1)),
 * or `assumedSeedStd` when none was repeated: what a config trained once borrows as its own std.
 */
export function pooledSeedStd(groups: readonly (readonly number[])[], assumedSeedStd: number): number {
  const repeated = groups.filter((g) => g.length >= 2);
  const degrees = repeated.reduce((sum, g) => sum + g.length - 1, 0);
  if (degrees === 0) return assumedSeedStd;
  return Math.sqrt(repeated.reduce((sum, g) => sum + (g.length - 1) * sampleVariance(g), 0) / degrees);
}

/** One config's results on one metric. */
export interface SeedSummary {
  n: number;
  mean: number | null;
  /** Sample std (n - 1); null below two results. */
  std: number | null;
  /** std / sqrt(n), the pooled std standing in for std below two results; null without a result. */
  standardError: number | null;
}

/** Mean, std and standard error of one config's finite results, borrowing `fallbackStd` below two results. */
export function summariseSeeds(values: readonly number[], fallbackStd: number): SeedSummary {
  const n = values.length;
  const mean = n > 0 ? values.reduce((a, b) => a + b, 0) / n : null;
  const std = n >= 2 ? Math.sqrt(sampleVariance(values)) : null;
  const standardError = n > 0 ? (std ?? fallbackStd) / Math.sqrt(n) : null;
  return { n, mean, std, standardError };
}

/**
 * The noise band of a difference of two means: two standard errors of the difference, 2 * sqrt(se_a^2 + se_b^2)
 * (about a two-sided 95 % test under normal noise). Two configs whose means differ by no more are within noise.
 */
export function noiseBand(standardErrorA: number, standardErrorB: number): number {
  return 2 * Math.sqrt(standardErrorA ** 2 + standardErrorB ** 2);
}
