// What the sweep action routes ask for: resume, retry, extend. Each moves the sweep through its lifecycle (the
// store's reopenSweep, the one writer of its status) and wakes the scheduler, which queues the trials the
// lifecycle's markers make due: a resume's canceled ones, a retry's failed or diverged ones, an extension's new
// ones (the sampler continuing from the sweep's history: same seed stream, indices following the last).
import type { SweepBudget } from "@sweeplab/contract";
import { DomainError } from "../domain-error.ts";
import type { Store, SweepRecord, SweepReopen } from "../store/store.ts";
import { latestAttempts } from "./attempts.ts";
import type { SweepScheduler } from "./scheduler.ts";

interface ActionDeps {
  store: Store;
  sweeps: Pick<SweepScheduler, "advanceSoon">;
}

async function reopen(deps: ActionDeps, id: string, request: SweepReopen): Promise<SweepRecord> {
  const sweep = await deps.store.reopenSweep(id, request);
  if (!sweep) throw new DomainError("SWEEP_NOT_FOUND", `no sweep ${id}`);
  // Its re-runs or new trials are queued before the answer, which lists them.
  await deps.sweeps.advanceSoon(id);
  return sweep;
}

/** Runs an ended sweep's canceled and never-proposed trials; trials that finished otherwise never run again. */
export const resumeSweep = (deps: ActionDeps, id: string, body: { budget?: SweepBudget } = {}) =>
  reopen(deps, id, { action: "resume", budget: body.budget });

/** Re-runs a sweep's failed and diverged trials as new attempts (same config and seed; the old ones kept). */
export async function retrySweep(deps: ActionDeps, id: string): Promise<SweepRecord> {
  const failed = latestAttempts(await deps.store.sweepRuns(id)).filter(
    (r) => r.status === "failed" || r.status === "diverged",
  );
  if (failed.length === 0) {
    if (!(await deps.store.getSweep(id))) throw new DomainError("SWEEP_NOT_FOUND", `no sweep ${id}`);
    throw new DomainError("NOTHING_TO_RETRY", `sweep ${id} has no failed or diverged trial to retry`);
  }
  return reopen(deps, id, { action: "retry" });
}

/** Adds trials to a running or succeeded sweep. */
export const extendSweep = (deps: ActionDeps, id: string, body: { trials: number; budget?: SweepBudget }) =>
  reopen(deps, id, { action: "extend", trials: body.trials, budget: body.budget });
