// The sweep state machine: running -> succeeded | failed | canceled, once, with the reason it stopped. Each
// transition is a pure function from the sweep to its row changes; sweeps.ts applies it in one transaction with
// the row locked. Nothing else writes a sweep's `status`. (A sweep has no queued state: it runs from creation,
// its trials queue as runs.)
import type { SweepStatus } from "./column-types.ts";
import type { SweepEnd, SweepRecord } from "./store.ts";

export const isSweepEnded = (sweep: { status: SweepStatus }) => sweep.status !== "running";

/** The row changes that end a running sweep; none (undefined) when it had ended already. */
export function endSweepTransition(
  sweep: SweepRecord,
  end: SweepEnd,
  now: number,
): Partial<SweepRecord> | undefined {
  if (isSweepEnded(sweep)) return undefined;
  return { status: end.status, stopReason: end.status === "succeeded" ? null : end.reason, finishedAt: now };
}
