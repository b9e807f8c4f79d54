import { z } from "zod";
import { proposeGrid } from "./grid.ts";
import { proposeRandom } from "./random.ts";
import type { Proposal, ProposeInput } from "./sampler.ts";
import { proposeTpe, type TpeOptions } from "./tpe.ts";

/** How a sweep chooses its trials' parameters. */
export const SweepMethodSchema = z.enum(["random", "grid", "tpe"]).meta({ id: "SweepMethod" });
export type SweepMethod = z.infer<typeof SweepMethodSchema>;

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
