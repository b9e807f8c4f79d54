// A running sweep's estimated finish: the mean duration of its trial runs finished so far, applied to what it
// still has to train (the rest of each run in progress, the queued ones, the trials not yet proposed and those due
// a re-run), spread over its parallelism, and never later than its wall-clock limit.
import { TERMINAL_STATUSES } from "@sweeplab/core";
import type { RunRecord, SweepRecord } from "../store/store.ts";
import { latestAttempts, rerunsDue } from "./attempts.ts";
import { trialRunsLeft, wallClockDeadline } from "./budget.ts";
import type { SweepSpec } from "./sweep-spec.ts";

/** Epoch ms, or null: the sweep ended, or no trial run has finished yet (nothing to measure a pace from). */
export function estimateFinish(
  sweep: SweepRecord,
  spec: SweepSpec,
  runs: readonly Pick<
    RunRecord,
    "status" | "startedAt" | "finishedAt" | "trialIndex" | "repeatIndex" | "trialAttempt"
  >[],
  now: number,
): number | null {
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
  const work =
    running.reduce((sum, r) => sum + Math.max(0, mean - (now - (r.startedAt ?? now))), 0) +
    (queued + toStart) * mean;
  const finish = now + work / Math.max(1, spec.parallelism);
  const deadline = wallClockDeadline(sweep, spec.budget);
  return Math.round(deadline === undefined ? finish : Math.min(finish, deadline));
}
