// The lifecycles' names, as plain lists (no zod): what a client checks a status or an event's name against
// without the schemas. The dashboard's first bundle holds these and not the schemas, which take tens of
// milliseconds to build in a browser tab (run-events.ts and sweep.ts make their enums from these lists).
import type { RunEventType } from "./run-events.ts";

/**
 * A run's lifecycle: queued -> running -> one terminal status. `diverged` is a run whose loss became NaN or never
 * fell (a configuration failure, not a result); `pruned` is a sweep trial stopped early by its sweep's rule.
 */
export const RUN_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "canceled",
  "diverged",
  "pruned",
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = [
  "succeeded",
  "failed",
  "canceled",
  "diverged",
  "pruned",
];

/** A sweep's lifecycle: running -> succeeded | failed | canceled. */
export const SWEEP_STATUSES = ["running", "succeeded", "failed", "canceled"] as const;
export type SweepStatus = (typeof SWEEP_STATUSES)[number];

/** True once a run or a sweep has ended: nothing about it changes any more. */
export function isTerminal(status: RunStatus | SweepStatus | (string & {})): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** Events after which a run's stream ends, and the status each one leaves. */
export const TERMINAL_EVENT_STATUS = {
  finished: "succeeded",
  failed: "failed",
  canceled: "canceled",
  diverged: "diverged",
  pruned: "pruned",
} as const satisfies Partial<Record<RunEventType, RunStatus>>;

export function isTerminalEvent(type: string): type is keyof typeof TERMINAL_EVENT_STATUS {
  return type in TERMINAL_EVENT_STATUS;
}
