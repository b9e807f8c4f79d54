import { z } from "zod";
import { AshaSettingsSchema, decideAsha } from "./asha.ts";
import { decideMedian, MedianSettingsSchema } from "./median.ts";
import type { PruneDecision, PruneInput } from "./pruner.ts";

/** A sweep's early-stopping rule as an API takes it: `{ kind: "asha", minSteps, eta? }`, `{ kind: "median" }`. */
export const EarlyStoppingSchema = z
  .discriminatedUnion("kind", [
    AshaSettingsSchema.extend({ kind: z.literal("asha") }),
    MedianSettingsSchema.extend({ kind: z.literal("median") }),
  ])
  .meta({ id: "EarlyStopping" });
export type EarlyStopping = z.infer<typeof EarlyStoppingSchema>;
export type EarlyStoppingInput = z.input<typeof EarlyStoppingSchema>;

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
