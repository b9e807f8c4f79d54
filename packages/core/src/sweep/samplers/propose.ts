import type { SweepMethod } from "@sweeplab/contract";
import { proposeGrid } from "./grid.ts";
import { proposeRandom } from "./random.ts";
import type { Proposal, ProposeInput } from "./sampler.ts";
import { proposeTpe, type TpeOptions } from "./tpe.ts";

export type { SweepMethod } from "@sweeplab/contract";
export { SweepMethodSchema } from "@sweeplab/contract";

/** Proposes trial `input.trialIndex` with the named method (`tpe` options apply to TPE only). */
export function proposeTrial(method: SweepMethod, input: ProposeInput, tpe: TpeOptions = {}): Proposal {
  switch (method) {
    case "random":
      return proposeRandom(input);
    case "grid":
      return proposeGrid(input);
    case "tpe":
      return proposeTpe(input, tpe);
  }
}
