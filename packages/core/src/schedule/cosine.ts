import { z } from "zod";
import { strictObject } from "../strict-object.ts";

export const ScheduleSpecSchema = z
  .discriminatedUnion("kind", [
    strictObject({
      kind: z.literal("cosine"),
      /** Linear warm-up from lr / warmupSteps to the peak over the first steps. */
      warmupSteps: z.int().min(0).default(0),
      /** The floor as a fraction of the peak; 0.02 as in the reference study (9.804e-4 ends at 1.96e-5). */
      floorRatio: z.number().min(0).max(1).default(0.02),
    }),
    strictObject({ kind: z.literal("constant") }),
  ])
  .meta({ id: "ScheduleSpec" });
export type ScheduleSpec = z.infer<typeof ScheduleSpecSchema>;

/**
 * The learning rate at `step` (0-based) of `totalSteps`: linear warm-up, then cosine annealing from `peak` at the
 * first step after warm-up to `floorRatio * peak` at the last step.
 */
export function learningRateAt(
  step: number,
  totalSteps: number,
  peak: number,
  schedule: ScheduleSpec,
): number {
  if (schedule.kind === "constant") return peak;
  const { warmupSteps, floorRatio } = schedule;
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const floor = peak * floorRatio;
  const span = Math.max(1, totalSteps - warmupSteps - 1);
  const progress = Math.min(1, (step - warmupSteps) / span);
  return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
