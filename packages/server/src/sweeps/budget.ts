// A sweep's budget (contract's SweepBudget): the wall clock since its latest start and the trial runs it started.
// The scheduler asks at every pass, so a sweep stops at the first pass past a limit: at most one pass interval
// late. Pure functions of the sweep row, its runs and the time.
import type { SweepBudget } from "@sweeplab/contract";
import type { SweepRecord } from "../store/store.ts";

/** When the sweep's current running period began (its creation, or its latest resume or reopening). */
export const runningSince = (sweep: Pick<SweepRecord, "startedAt" | "createdAt">) =>
  sweep.startedAt ?? sweep.createdAt;

/** The moment the wall-clock limit falls, or undefined without one. */
export function wallClockDeadline(
  sweep: Pick<SweepRecord, "startedAt" | "createdAt">,
  budget: SweepBudget | null | undefined,
): number | undefined {
  if (budget?.wallClockSeconds === undefined) return undefined;
  return runningSince(sweep) + budget.wallClockSeconds * 1000;
}

/**
 * The stop reason when the wall clock is spent at `now`, else undefined. It records the limit and the time the
 * pass found it spent, so how late the stop came (under one scheduler interval) can be read back.
 */
export function wallClockSpent(
  sweep: Pick<SweepRecord, "startedAt" | "createdAt">,
  budget: SweepBudget | null | undefined,
  now: number,
): string | undefined {
  const deadline = wallClockDeadline(sweep, budget);
  if (deadline === undefined || now < deadline) return undefined;
  const seconds = (now - runningSince(sweep)) / 1000;
  return `budget: wall clock of ${budget!.wallClockSeconds} s spent (stopped ${seconds.toFixed(3)} s after the sweep started; its training trials were canceled)`;
}

/** Trial runs the budget still allows (every attempt and repeat counts); Infinity without a trial limit. */
export function trialRunsLeft(budget: SweepBudget | null | undefined, runs: readonly unknown[]): number {
  if (budget?.maxTrials === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, budget.maxTrials - runs.length);
}

/** The stop reason of a sweep that ended because its trial limit left nothing more to start. */
export const trialLimitReason = (budget: SweepBudget) =>
  `budget: limit of ${budget.maxTrials} trial runs reached`;
