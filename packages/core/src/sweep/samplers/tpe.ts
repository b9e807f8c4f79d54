import { z } from "zod";
import type { SeededRandom } from "../../data/random.ts";
import type { Direction } from "../direction.ts";
import { canonicalJson } from "../params-key.ts";
import { buildConfig, type ParameterValue, type SweepParameter } from "../space.ts";
import { CategoricalEstimator, ParzenEstimator } from "./parzen.ts";
import { proposeRandom } from "./random.ts";
import { type CompletedTrial, type Proposal, type ProposeInput, trialRandom } from "./sampler.ts";

/** TPE's settings; the defaults are Optuna's TPESampler's. */
export const TpeOptionsSchema = z
  .strictObject({
    /** Trials proposed by random search before the model takes over (counting every trial in history). Default 10. */
    nStartupTrials: z.int().min(0).optional(),
    /** Candidates drawn from l(x) per parameter; the one with the largest l(x) / g(x) is proposed. Default 24. */
    nEiCandidates: z.int().min(1).max(10_000).optional(),
    /** The good group is the best min(ceil(gammaFraction * n), gammaMax) trials of n. Default 0.1. */
    gammaFraction: z.number().gt(0).max(1).optional(),
    /** Default 25. */
    gammaMax: z.int().min(1).optional(),
    /** Weight of each estimator's prior kernel (a broad normal, or an even spread over categories). Default 1. */
    priorWeight: z.number().positive().optional(),
  })
  .meta({ id: "TpeOptions" });
export type TpeOptions = z.infer<typeof TpeOptionsSchema>;

const DEFAULTS: Required<TpeOptions> = {
  nStartupTrials: 10,
  nEiCandidates: 24,
  gammaFraction: 0.1,
  gammaMax: 25,
  priorWeight: 1,
};

/**
 * Splits history into the good group (below gamma) and the rest: finite values best first (ties by trial index,
 * so the caller's order does not matter), failed trials (value null) always among the rest.
 */
export function splitTrials(
  history: readonly CompletedTrial[],
  direction: Direction,
  options: Pick<Required<TpeOptions>, "gammaFraction" | "gammaMax">,
): { below: CompletedTrial[]; above: CompletedTrial[] } {
  const sign = direction === "maximize" ? -1 : 1;
  const finite = history.filter((t) => t.value !== null && Number.isFinite(t.value));
  const failed = history.filter((t) => !finite.includes(t));
  finite.sort((a, b) => sign * (a.value! - b.value!) || a.trialIndex - b.trialIndex);
  const nBelow = Math.min(
    finite.length,
    Math.max(1, Math.min(Math.ceil(options.gammaFraction * history.length), options.gammaMax)),
  );
  return { below: finite.slice(0, nBelow), above: [...finite.slice(nBelow), ...failed] };
}

/** Maps a numeric parameter to the space its estimator works in (log for log scales, ints widened by 0.5). */
function numericScale(parameter: Exclude<SweepParameter, { type: "categorical" }>) {
  const log = parameter.type === "log-uniform" || (parameter.type === "int" && parameter.log);
  const widen = parameter.type === "int" ? 0.5 : 0;
  const to = (x: number) => (log ? Math.log(x) : x);
  const from = (y: number) => {
    const x = log ? Math.exp(y) : y;
    return parameter.type === "int" ? Math.min(parameter.high, Math.max(parameter.low, Math.round(x))) : x;
  };
  return { low: to(parameter.low - widen), high: to(parameter.high + widen), to, from };
}

function clampTo(low: number, high: number, x: number): number {
  return Math.min(high, Math.max(low, x));
}

/** One parameter's TPE choice: nEiCandidates draws from l, keep the one with the largest log l - log g. */
function chooseValue(
  parameter: SweepParameter,
  below: readonly CompletedTrial[],
  above: readonly CompletedTrial[],
  random: SeededRandom,
  options: Required<TpeOptions>,
): ParameterValue {
  const observed = (trials: readonly CompletedTrial[]) =>
    trials.map((t) => t.params[parameter.name]).filter((v): v is ParameterValue => v !== undefined);
  let best: { value: ParameterValue; score: number } | undefined;
  const consider = (value: ParameterValue, score: number) => {
    if (!best || score > best.score) best = { value, score };
  };
  if (parameter.type === "categorical") {
    const keys = parameter.values.map(canonicalJson);
    const indices = (values: ParameterValue[]) =>
      values.map((v) => keys.indexOf(canonicalJson(v))).filter((i) => i >= 0);
    const l = new CategoricalEstimator(indices(observed(below)), keys.length, options.priorWeight);
    const g = new CategoricalEstimator(indices(observed(above)), keys.length, options.priorWeight);
    for (let i = 0; i < options.nEiCandidates; i++) {
      const index = l.sample(random);
      consider(parameter.values[index]!, l.logDensity(index) - g.logDensity(index));
    }
    return best!.value;
  }
  const scale = numericScale(parameter);
  const inSpace = (values: ParameterValue[]) =>
    values
      .filter((v): v is number => typeof v === "number")
      .map((v) => clampTo(scale.low, scale.high, scale.to(v)));
  const l = new ParzenEstimator(inSpace(observed(below)), scale.low, scale.high, options.priorWeight);
  const g = new ParzenEstimator(inSpace(observed(above)), scale.low, scale.high, options.priorWeight);
  for (let i = 0; i < options.nEiCandidates; i++) {
    const value = scale.from(l.sample(random));
    const y = clampTo(scale.low, scale.high, scale.to(value));
    consider(value, l.logDensity(y) - g.logDensity(y));
  }
  return best!.value;
}

/**
 * The Tree-structured Parzen Estimator (Bergstra, Bardenet, Bengio and Kegl, NeurIPS 2011), independent per
 * parameter as Optuna's default TPESampler: the first nStartupTrials trials are random search (the same params
 * proposeRandom gives); after that, history is split into the best gamma share and the rest, each active parameter
 * gets a Parzen estimator l(x) over the good trials and g(x) over the rest (only trials where it was active; log
 * scale for log parameters; smoothed counts for categorical ones), and the proposal is the candidate drawn from l
 * with the largest l(x) / g(x), the expected-improvement maximiser. Deterministic in (seed, trialIndex, history).
 */
export function proposeTpe(input: ProposeInput, options: TpeOptions = {}): Proposal {
  const given = Object.entries(options).filter(([, v]) => v !== undefined);
  const settings = { ...DEFAULTS, ...Object.fromEntries(given) } as Required<TpeOptions>;
  const history = input.history ?? [];
  const finite = history.filter((t) => t.value !== null && Number.isFinite(t.value));
  if (history.length < settings.nStartupTrials || finite.length === 0) return proposeRandom(input);
  const { below, above } = splitTrials(history, input.direction ?? "maximize", settings);
  const random = trialRandom(input.seed, input.trialIndex, 1);
  const { params } = buildConfig(input.base ?? {}, input.space, (parameter) =>
    chooseValue(parameter, below, above, random, settings),
  );
  return { params };
}
