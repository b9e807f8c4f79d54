import { type EarlyStoppingInput, EarlyStoppingSchema } from "@sweeplab/contract";
import { decideAsha } from "./asha.ts";
import { decideMedian } from "./median.ts";
import type { PruneDecision, PruneInput } from "./pruner.ts";

export type { EarlyStopping, EarlyStoppingInput } from "@sweeplab/contract";
export { EarlyStoppingSchema };

/** Applies the rule a sweep chose to a trial's latest evaluation (see decideAsha and decideMedian). */
export function decideEarlyStopping(
  rule: EarlyStoppingInput,
  input: Omit<PruneInput<unknown>, "settings">,
): PruneDecision {
  if (rule.kind === "asha") {
    const { kind: _, ...settings } = rule;
    return decideAsha({ ...input, settings });
  }
  const { kind: _, ...settings } = rule;
  return decideMedian({ ...input, settings });
}
