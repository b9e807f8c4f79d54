// A sweep trial's attempts: each re-run (a resume's canceled trials, a retry's failed ones) is a new run of the same
// trial and repeat with the same config and seed, one attempt later, linked to the run it re-runs; the earlier run
// is kept. Everything that ranks or counts trials reads the latest attempt only, so a trial counts once.
import { trialIdempotencyKey } from "../admission.ts";
import type { RunService } from "../runs/run-service.ts";
import type { RunRecord, SweepRecord } from "../store/store.ts";

/** What tells a run's trial repeat and attempt (a whole run, or the lean row the sweep state keeps). */
type AttemptOf = Pick<RunRecord, "trialIndex" | "repeatIndex" | "trialAttempt">;

const slot = (run: AttemptOf) => `${run.trialIndex}/${run.repeatIndex}`;

/** Each trial repeat's latest attempt, in the order given (the store's: trial, repeat, attempt). */
export function latestAttempts<T extends AttemptOf>(runs: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const run of runs) {
    const seen = latest.get(slot(run));
    if (!seen || run.trialAttempt > seen.trialAttempt) latest.set(slot(run), run);
  }
  return runs.filter((run) => latest.get(slot(run)) === run);
}

/**
 * Latest attempts that are due another: canceled by the time of the sweep's last resume, or failed or diverged by
 * the time of its last retry. A run canceled or failing after the request is left as it ended.
 */
export function rerunsDue<T extends Pick<RunRecord, "status" | "finishedAt">>(
  sweep: Pick<SweepRecord, "resumedAt" | "retryAt">,
  latest: readonly T[],
): T[] {
  const endedBy = (run: T, at: number | null) =>
    at !== null && run.finishedAt !== null && run.finishedAt <= at;
  return latest.filter(
    (run) =>
      (run.status === "canceled" && endedBy(run, sweep.resumedAt)) ||
      ((run.status === "failed" || run.status === "diverged") && endedBy(run, sweep.retryAt)),
  );
}

/** The run key of a trial repeat's attempt: attempt 0 keeps the key it always had. */
export const attemptIdempotencyKey = (
  sweepId: string,
  trialIndex: number,
  repeat: number,
  attempt: number,
) =>
  attempt === 0
    ? trialIdempotencyKey(sweepId, trialIndex, repeat)
    : `${trialIdempotencyKey(sweepId, trialIndex, repeat)}:attempt:${attempt}`;

/** Queues the next attempt of `run`: its config (seed included) as it was, the trial it belongs to, linked back. */
export async function submitAttempt(runs: RunService, sweep: SweepRecord, run: RunRecord): Promise<void> {
  const attempt = run.trialAttempt + 1;
  const trialIndex = run.trialIndex ?? 0;
  const repeat = run.repeatIndex ?? 0;
  await runs.submit({
    config: run.config,
    name: `${sweep.name ?? sweep.id} #${trialIndex} attempt ${attempt + 1}`,
    tags: ["sweep"],
    sweep: { sweepId: sweep.id, trialIndex, repeatIndex: repeat, trial: run.trial, attempt, retryOf: run.id },
    idempotencyKey: attemptIdempotencyKey(sweep.id, trialIndex, repeat, attempt),
  });
}
