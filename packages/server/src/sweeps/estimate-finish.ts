// A running sweep's estimated finish: the mean duration of its trial runs finished so far, applied to what it
// still has to train (the rest of each run in progress, the queued ones, the trials not yet proposed and those due
// a re-run), spread over its parallelism, and never later than its wall-clock limit.
import { TERMINAL_STATUSES } from "@sweeplab/core";
import type { RunRecord, SweepRecord } from "../store/store.ts";
import { latestAttempts, rerunsDue } from "./attempts.ts";
import { trialRunsLeft, wallClockDeadline } from "./budget.ts";
import type { SweepSpec } from "./sweep-spec.ts";

type PaceRun = Pick<
  RunRecord,
  "status" | "startedAt" | "finishedAt" | "trialIndex" | "repeatIndex" | "trialAttempt"
>;

/**
 * What an estimate reads of a sweep's runs, apart from the clock: the mean duration of its finished trial runs,
 * when each run in progress started, and how many runs wait (queued, not proposed yet, due a re-run) within its
 * budget. It changes only when the runs or the sweep do (sweep-state.ts keeps it per version); the clock is
 * applied per read.
 */
export interface FinishPace {
  mean: number;
  runningSince: (number | null)[];
  waiting: number;
}

/** Null: the sweep ended, or no trial run has finished yet (nothing to measure a pace from). */
export function finishPace(sweep: SweepRecord, spec: SweepSpec, runs: readonly PaceRun[]): FinishPace | null {
  if (sweep.status !== "running") return null;
  const durations = runs.flatMap((r) =>
    r.startedAt !== null && r.finishedAt !== null && r.status !== "canceled"
      ? [r.finishedAt - r.startedAt]
      : [],
  );
  if (durations.length === 0) return null;
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  const latest = latestAttempts(runs);
  const running = latest.filter((r) => r.status === "running");
  const queued = latest.filter((r) => r.status === "queued").length;
  const terminal = latest.filter((r) => TERMINAL_STATUSES.includes(r.status)).length;
  // With adaptive repeats (`repeats` is then the most a config gets) each config is planned one run: the seeds
  // racing may add are not known ahead, so the estimate counts only those already started.
  const planned = spec.adaptiveRepeats ? spec.trials : spec.trials * spec.repeats;
  const toStart = Math.min(
    Math.max(0, planned - running.length - queued - terminal) + rerunsDue(sweep, latest).length,
    trialRunsLeft(spec.budget, runs),
  );
  return { mean, runningSince: running.map((r) => r.startedAt), waiting: queued + toStart };
}

/** Epoch ms at `now` from a pace, never later than the sweep's wall-clock limit; null without a pace. */
export function finishAt(
  pace: FinishPace | null,
  sweep: SweepRecord,
  spec: SweepSpec,
  now: number,
): number | null {
  if (!pace) return null;
  const { mean } = pace;
  const work =
    pace.runningSince.reduce<number>(
      (sum, started) => sum + Math.max(0, mean - (now - (started ?? now))),
      0,
    ) +
    pace.waiting * mean;
  const finish = now + work / Math.max(1, spec.parallelism);
  const deadline = wallClockDeadline(sweep, spec.budget);
  return Math.round(deadline === undefined ? finish : Math.min(finish, deadline));
}

/** Epoch ms, or null: the sweep ended, or no trial run has finished yet (nothing to measure a pace from). */
export function estimateFinish(
  sweep: SweepRecord,
  spec: SweepSpec,
  runs: readonly PaceRun[],
  now: number,
): number | null {
  return finishAt(finishPace(sweep, spec, runs), sweep, spec, now);
}
