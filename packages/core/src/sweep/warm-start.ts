// Warm start: an earlier sweep's finished trials as a new sweep's sampler history, where their parameters still fit
// the new space. Pure: the caller reads the earlier trials from wherever it keeps them.
import type { RunConfigInput } from "../train/config.ts";
import { canonicalJson } from "./params-key.ts";
import type { CompletedTrial } from "./samplers/sampler.ts";
import { applyParameters, type SearchSpace, type SweepParameter, type TrialParams } from "./space.ts";

/** Whether `value` is one `parameter` may take: a listed category, or a number within [low, high] (whole for ints). */
function fitsParameter(parameter: SweepParameter, value: unknown): boolean {
  if (parameter.type === "categorical") {
    const key = canonicalJson(value);
    return parameter.values.some((v) => canonicalJson(v) === key);
  }
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (parameter.type === "int" && !Number.isInteger(value)) return false;
  return value >= parameter.low && value <= parameter.high;
}

/**
 * Whether `params` are a trial of `space` over `base`: exactly the parameters active on that config, each with a
 * value the parameter may take. A trial of a narrower or wider space fits where its values lie inside this one.
 */
export function fitsSpace(space: SearchSpace, base: RunConfigInput, params: TrialParams): boolean {
  for (const [name, value] of Object.entries(params)) {
    const parameter = space.parameters.find((p) => p.name === name);
    if (!parameter || !fitsParameter(parameter, value)) return false;
  }
  try {
    applyParameters(base, space, params);
    return true;
  } catch {
    return false;
  }
}

/**
 * The earlier trials that fit `space`, as history for the new sweep's sampler: renumbered -n..-1 (in their old
 * order), so they sort before the new sweep's own trials (0, 1, ...) and never share an index with them. TPE
 * counts them towards its startup trials and models them from the first proposal.
 */
export function warmStartHistory(
  space: SearchSpace,
  base: RunConfigInput,
  earlier: readonly CompletedTrial[],
): CompletedTrial[] {
  const fitting = [...earlier]
    .sort((a, b) => a.trialIndex - b.trialIndex)
    .filter((t) => fitsSpace(space, base, t.params));
  return fitting.map((t, i) => ({ trialIndex: i - fitting.length, params: t.params, value: t.value }));
}
