import type { ScheduleSpec } from "@sweeplab/contract";

export type { ScheduleSpec } from "@sweeplab/contract";
export { ScheduleSpecSchema } from "@sweeplab/contract";

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
