// The sweep state machine: running -> succeeded | failed | canceled, once, with the reason it stopped; and back to
// running on request: resume (an ended sweep: its canceled trials and those never proposed run), retry (its failed or diverged
// trials run again as new attempts), extend (more trials for a running or succeeded sweep). Each transition is a
// pure function from the sweep to its row changes; sweeps.ts applies it in one transaction with the row locked.
// Nothing else writes a sweep's `status`. (A sweep has no queued state: it runs from creation, its trials queue
// as runs.) Which trials run again is the scheduler's to read from the markers set here (`resumedAt`, `retryAt`).
import type { SweepStatus } from "./column-types.ts";
import { StoreConflictError, type SweepEnd, type SweepRecord } from "./store.ts";

export const isSweepEnded = (sweep: { status: SweepStatus }) => sweep.status !== "running";

/** The row changes that end a running sweep; none (undefined) when it had ended already. */
export function endSweepTransition(
  sweep: SweepRecord,
  end: SweepEnd,
  now: number,
): Partial<SweepRecord> | undefined {
  if (isSweepEnded(sweep)) return undefined;
  return {
    status: end.status,
    stopReason: end.status === "succeeded" ? (end.reason ?? null) : end.reason,
    finishedAt: now,
  };
}

/** A request that sets an ended sweep running again (or, for retry and extend, changes a running one). */
export type SweepReopen =
  | { action: "resume"; budget?: unknown }
  | { action: "retry" }
  | { action: "extend"; trials: number; budget?: unknown };

/** What the transition needs to know about the sweep's runs (read in the same transaction). */
export interface SweepRunsState {
  /** Trial runs still queued or training (a canceled sweep's runs stop at their next step). */
  active: number;
}

/** Back to running: no stop reason or end, and the wall clock of a budget starts again. */
const running = (now: number) => ({
  status: "running" as const,
  stopReason: null,
  finishedAt: null,
  startedAt: now,
});

/**
 * The row changes of a resume, retry or extend; throws StoreConflictError where the sweep cannot take it:
 * resume needs an ended sweep whose runs have all stopped (SWEEP_STOPPING while some still train; a sweep a budget
 * stopped, succeeded with its reason, resumes too, its wall clock counting again from the resume);
 * extend needs a running or succeeded one (a canceled or failed sweep is resumed first); retry takes any sweep.
 * A new `budget` (resume, extend) replaces the spec's; `trials` (extend) adds to its trial count.
 */
export function reopenSweepTransition(
  sweep: SweepRecord,
  request: SweepReopen,
  runs: SweepRunsState,
  now: number,
): Partial<SweepRecord> {
  const spec = sweep.spec as Record<string, unknown>;
  const withBudget = (budget: unknown) => (budget === undefined ? {} : { budget });
  switch (request.action) {
    case "resume":
      if (sweep.status === "running")
        throw new StoreConflictError("SWEEP_ACTIVE", `sweep ${sweep.id} is running: nothing to resume`);
      if (runs.active > 0)
        throw new StoreConflictError(
          "SWEEP_STOPPING",
          `sweep ${sweep.id} still has ${runs.active} trial run(s) stopping; resume once they have stopped`,
        );
      return {
        ...running(now),
        resumedAt: now,
        ...(request.budget === undefined ? {} : { spec: { ...spec, ...withBudget(request.budget) } }),
      };
    case "retry":
      return { ...(isSweepEnded(sweep) ? running(now) : {}), retryAt: now };
    case "extend":
      if (sweep.status === "canceled" || sweep.status === "failed")
        throw new StoreConflictError(
          "INVALID_TRANSITION",
          `sweep ${sweep.id} is ${sweep.status}: resume it before adding trials`,
        );
      return {
        ...(isSweepEnded(sweep) ? running(now) : {}),
        spec: { ...spec, trials: (spec.trials as number) + request.trials, ...withBudget(request.budget) },
      };
  }
}
