import { SeededRandom } from "../../data/random.ts";
import type { RunConfigInput } from "../../train/config.ts";
import type { Direction } from "../direction.ts";
import type { SearchSpace, TrialParams } from "../space.ts";

/** A trial that had ended when another was proposed. */
export interface CompletedTrial {
  /** The trial's index in the sweep (ties in value are broken by it, so the caller's order does not matter). */
  trialIndex: number;
  params: TrialParams;
  /** The sweep's metric; null for a trial that failed, diverged or was pruned (TPE counts it among the worst). */
  value: number | null;
}

/** What every sampler is given. Trial i's params depend only on (seed, trialIndex) and, for TPE, on history. */
export interface ProposeInput {
  space: SearchSpace;
  /** The config the parameters are applied to; conditions read it (e.g. `model.kind`). Default `{}`. */
  base?: RunConfigInput;
  /** The sweep seed. */
  seed: number;
  /** 0-based index of the trial being proposed. */
  trialIndex: number;
  /** The trials complete when this one was proposed (record it with the trial to reproduce the proposal). */
  history?: readonly CompletedTrial[];
  /** Default `maximize`. */
  direction?: Direction;
}

/** A sampler's answer: the active parameters' values by name (apply them with applyParameters). */
export interface Proposal {
  params: TrialParams;
}

/** A 32-bit hash (murmur3's finaliser) of the sweep seed and the trial index. */
function mix(seed: number, trialIndex: number, stream: number): number {
  let h = (seed ^ Math.imul(trialIndex + 1, 0x9e3779b9) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The random stream of one trial, derived from (sweep seed, trial index) alone, so trial i draws the same numbers
 * whichever worker proposes it and whenever. `stream` separates independent uses within a trial.
 */
export function trialRandom(seed: number, trialIndex: number, stream = 0): SeededRandom {
  return new SeededRandom(mix(seed >>> 0, trialIndex, stream));
}
