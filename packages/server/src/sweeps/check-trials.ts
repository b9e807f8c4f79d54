// A sweep's trials checked once, when it is created: a space whose values make a config the run queue refuses
// (a batch size of 0, a model over the memory budget, a grid shorter than the trials asked for) is a 400 problem
// then, not a sweep that stays `running` with no trial the scheduler can start. The work is bounded by `trials`
// (at most 1,000), never by the size of the space, and yields to the event loop between slices.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import {
  applyParameters,
  gridPoints,
  isCoreError,
  parseRunConfig,
  proposeRandom,
  type RunConfigInput,
  type SearchSpace,
  type TrialParams,
} from "@sweeplab/core";
import type { Admission } from "../admission.ts";
import { DomainError, isDomainError } from "../domain-error.ts";

/**
 * What the check reads of a sweep's spec: sweep-spec.ts passes its whole spec, typed here rather than imported so
 * that the two files do not import each other.
 */
export interface TrialSource {
  method: "random" | "grid" | "tpe" | "motpe";
  space: SearchSpace;
  base: RunConfigInput;
  seed: number;
  trials: number;
}

/** Trials checked between two yields to the event loop. */
const TRIALS_PER_SLICE = 25;

const describe = (params: TrialParams) =>
  Object.entries(params)
    .map(([name, value]) => `${name}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" ");

/**
 * The params of every trial that can be proposed before any result exists: all of a random or grid sweep's; for TPE,
 * random points of its space (exactly its start-up trials; the scheduler refuses a later proposal it cannot run).
 */
function proposalsWithoutHistory(spec: TrialSource): TrialParams[] {
  if (spec.method === "grid") {
    // Only the points the sweep will visit are listed: the work follows `trials`, never the size of the grid.
    const points = gridPoints(spec.space, spec.base, spec.trials);
    if (spec.trials > points.length) {
      throw new DomainError(
        "INVALID_SWEEP",
        `the grid has ${points.length} points: ask for at most ${points.length} trials (got ${spec.trials})`,
      );
    }
    return points;
  }
  return Array.from(
    { length: spec.trials },
    (_, trialIndex) =>
      proposeRandom({ space: spec.space, base: spec.base, seed: spec.seed, trialIndex, history: [] }).params,
  );
}

/** Throws INVALID_SWEEP naming the first trial whose config is not a valid run or that admission refuses. */
export async function checkTrialConfigs(spec: TrialSource, admission: Admission): Promise<void> {
  for (const [index, params] of proposalsWithoutHistory(spec).entries()) {
    if (index > 0 && index % TRIALS_PER_SLICE === 0) await yieldToLoop();
    try {
      admission.checkConfig(parseRunConfig(applyParameters(spec.base, spec.space, params)));
    } catch (error) {
      if (isCoreError(error)) {
        throw new DomainError(
          "INVALID_SWEEP",
          `trial #${index} (${describe(params)}) is not a valid run: ${error.message}`,
        );
      }
      if (isDomainError(error)) {
        throw new DomainError(
          "INVALID_SWEEP",
          `trial #${index} (${describe(params)}) would be refused: ${error.code}: ${error.message}`,
        );
      }
      throw error;
    }
  }
}
