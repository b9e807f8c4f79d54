import type { SweepMethod } from "@sweeplab/contract";
import { CoreError } from "../../errors.ts";
import type { Direction } from "../direction.ts";
import { proposeGrid } from "./grid.ts";
import { type MultiObjectiveTrial, proposeMotpe } from "./motpe.ts";
import { proposeRandom } from "./random.ts";
import type { Proposal, ProposeInput } from "./sampler.ts";
import { proposeTpe, type TpeOptions } from "./tpe.ts";

export type { SweepMethod } from "@sweeplab/contract";
export { SweepMethodSchema } from "@sweeplab/contract";

/** What MOTPE reads beside ProposeInput: every ended trial's value per objective, and each objective's direction. */
export interface MultiObjectiveInput {
  history: readonly MultiObjectiveTrial[];
  directions: readonly Direction[];
}

/**
 * Proposes trial `input.trialIndex` with the named method (`tpe` options apply to TPE and MOTPE). `motpe` needs
 * `multi` with two or more objectives: without them it throws INVALID_CONFIG (one objective is TPE's job).
 */
export function proposeTrial(
  method: SweepMethod,
  input: ProposeInput,
  tpe: TpeOptions = {},
  multi?: MultiObjectiveInput,
): Proposal {
  switch (method) {
    case "random":
      return proposeRandom(input);
    case "grid":
      return proposeGrid(input);
    case "tpe":
      return proposeTpe(input, tpe);
    case "motpe": {
      if (!multi || multi.directions.length < 2) {
        throw new CoreError(
          "INVALID_CONFIG",
          `method motpe searches two or more objectives (got ${multi?.directions.length ?? 0}): name them, or use tpe for one metric`,
        );
      }
      const { history: _, direction: __, ...rest } = input;
      return proposeMotpe({ ...rest, history: multi.history, directions: multi.directions }, tpe);
    }
  }
}
