import { z } from "zod";
import { RUN_STATUSES, type RunStatus, TERMINAL_STATUSES } from "./run-events.ts";

/** A sweep's lifecycle: running -> succeeded | failed | canceled. */
export const SWEEP_STATUSES = ["running", "succeeded", "failed", "canceled"] as const;
export const SweepStatusSchema = z.enum(SWEEP_STATUSES).meta({ id: "SweepStatus" });
export type SweepStatus = z.infer<typeof SweepStatusSchema>;

export { RUN_STATUSES, TERMINAL_STATUSES };

/** True once a run or a sweep has ended: nothing about it changes any more. */
export function isTerminal(status: RunStatus | SweepStatus | (string & {})): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}
