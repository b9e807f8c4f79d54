import { canonicalJson } from "./params-key.ts";
import type { SearchSpace, SweepParameter, TrialParams } from "./space.ts";

/** One parameter's share of the metric's variance. */
export interface ParameterImportance {
  name: string;
  /** In [0, 1]; the shares of all parameters sum to at most 1. */
  importance: number;
}

/** Bins that group trials for one parameter: categories, quantile bins of a numeric value, and "inactive". */
function binKeys(parameter: SweepParameter, params: TrialParams[]): string[] {
  const raw = params.map((p) => p[parameter.name]);
  if (parameter.type === "categorical")
    return raw.map((v) => (v === undefined ? "inactive" : canonicalJson(v)));
  const log = parameter.type === "log-uniform" || (parameter.type === "int" && parameter.log);
  const active = raw
    .map((v, i) => ({ i, x: typeof v === "number" ? (log ? Math.log(v) : v) : undefined }))
    .filter((e): e is { i: number; x: number } => e.x !== undefined)
    .sort((a, b) => a.x - b.x);
  const distinct = new Set(active.map((e) => e.x)).size;
  const bins = Math.min(distinct, 10, Math.max(2, Math.floor(Math.sqrt(active.length))));
  const keys = raw.map(() => "inactive");
  // Equal-count bins over the sorted values; equal values share a bin.
  let bin = 0;
  for (const [rank, entry] of active.entries()) {
    const target = Math.floor((rank * bins) / active.length);
    if (target > bin && entry.x !== active[rank - 1]?.x) bin = target;
    keys[entry.i] = `bin${bin}`;
  }
  return keys;
}

/**
 * omega^2 = (SS_between - (k - 1) MS_within) / (SS_total + MS_within) of the metric grouped into k bins: the
 * between-bin variance share with the small-sample correction that takes a parameter with no effect to about 0
 * (the raw share SS_between / SS_total would give it about (k - 1) / (n - 1)).
 */
function omegaSquared(keys: string[], values: number[]): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const total = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const group = groups.get(key) ?? [];
    group.push(values[i]!);
    groups.set(key, group);
  });
  const k = groups.size;
  if (k < 2 || n <= k || total === 0) return 0;
  let between = 0;
  for (const group of groups.values()) {
    const groupMean = group.reduce((a, b) => a + b, 0) / group.length;
    between += group.length * (groupMean - mean) ** 2;
  }
  const within = (total - between) / (n - k);
  return Math.max(0, (between - (k - 1) * within) / (total + within));
}

/**
 * How much of the metric's variance each parameter explains on its own, the quantity Optuna's fANOVA importance
 * reports (the first-order, main-effect share), estimated without a forest: each parameter's trials are grouped
 * into up to 10 bins (its categories; equal-count bins of a numeric value, in log space for log parameters;
 * trials where it was inactive in a bin of their own) and the share is the bias-corrected omega^2 of that
 * grouping. Shares are scaled down together if they would sum past 1 (correlated samples can do that); the rest is
 * interactions and noise. Trials without a finite value are ignored. Sorted largest first.
 */
export function parameterImportance(
  space: SearchSpace,
  trials: readonly { params: TrialParams; value: number | null }[],
): ParameterImportance[] {
  const scored = trials.filter((t): t is { params: TrialParams; value: number } => Number.isFinite(t.value));
  const values = scored.map((t) => t.value);
  const params = scored.map((t) => t.params);
  const shares = space.parameters.map((p) => ({
    name: p.name,
    importance: scored.length < 3 ? 0 : omegaSquared(binKeys(p, params), values),
  }));
  const sum = shares.reduce((a, s) => a + s.importance, 0);
  if (sum > 1) for (const s of shares) s.importance /= sum;
  return shares.sort((a, b) => b.importance - a.importance);
}
