import type { SeededRandom } from "../../data/random.ts";
import { buildConfig, type ParameterValue, type SweepParameter } from "../space.ts";
import { type Proposal, type ProposeInput, trialRandom } from "./sampler.ts";

/** A value drawn from the parameter's prior: uniform over values, over [low, high], or over log [low, high]. */
export function sampleFromPrior(parameter: SweepParameter, random: SeededRandom): ParameterValue {
  switch (parameter.type) {
    case "categorical":
      return parameter.values[random.int(parameter.values.length)]!;
    case "int": {
      const { low, high } = parameter;
      if (!parameter.log) return low + random.int(high - low + 1);
      const x = Math.exp(random.uniform(Math.log(low - 0.5), Math.log(high + 0.5)));
      return Math.min(high, Math.max(low, Math.round(x)));
    }
    case "uniform":
      return random.uniform(parameter.low, parameter.high);
    case "log-uniform":
      return Math.exp(random.uniform(Math.log(parameter.low), Math.log(parameter.high)));
  }
}

/** Random search: every active parameter drawn from its prior with the trial's own random stream. */
export function proposeRandom(input: ProposeInput): Proposal {
  const random = trialRandom(input.seed, input.trialIndex);
  return { params: buildConfig(input.base ?? {}, input.space, (p) => sampleFromPrior(p, random)).params };
}
