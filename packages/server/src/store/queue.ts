// The queue: claims (the oldest queued run, or a named one joining a batch), leases, polite releases, and the
// reaper's requeue of runs whose lease ran out. Each is one transaction; PostgreSQL claims skip locked rows, so
// concurrent workers never take the same run and never wait on each other.
import { eq } from "drizzle-orm";
import { applyTransition } from "./apply-transition.ts";
import { claimTransition, expireTransition, releaseTransition } from "./lifecycle.ts";
import { artifactOf, claimable, joinable, leaseExpired, leaseHeldBy, queueOrder } from "./queries.ts";
import { getRun, lockRun } from "./runs.ts";
import { first, type Job, pick, select, update, updateReturning } from "./statements.ts";
import type { Claim, LeaseState, RunRecord } from "./store.ts";

type Worker = { id: string; host: string };

export function* claimRun(worker: Worker, leaseMs: number, now: number): Job<Claim | undefined> {
  const run = yield* first("runs", { where: claimable, orderBy: queueOrder, lock: "skip-locked" });
  if (!run) return undefined;
  yield* applyTransition(run, claimTransition(run, worker, leaseMs, now), now);
  yield* update("workers", { runId: run.id, heartbeatAt: now }, (t) => eq(t.workers.id, worker.id));
  const [checkpoint] = yield* pick(
    "artifacts",
    (t) => ({ step: t.artifacts.step, bytes: t.artifacts.bytes }),
    { where: artifactOf(run.id, "checkpoint") },
  );
  return { run: (yield* getRun(run.id))!, ...(checkpoint ? { checkpoint } : {}) };
}

export function* claimQueuedRun(
  worker: Worker,
  runId: string,
  leaseMs: number,
  now: number,
): Job<RunRecord | undefined> {
  const run = yield* first("runs", { where: joinable(runId), lock: "skip-locked" });
  if (!run) return undefined;
  yield* applyTransition(run, claimTransition(run, worker, leaseMs, now), now);
  return yield* getRun(run.id);
}

export function* renewLease(runId: string, owner: string, leaseMs: number, now: number): Job<LeaseState> {
  const [row] = yield* updateReturning("runs", { leaseExpiresAt: now + leaseMs }, leaseHeldBy(runId, owner));
  yield* update("workers", { heartbeatAt: now }, (t) => eq(t.workers.id, owner));
  return row
    ? { owned: true, cancelRequested: row.cancelRequested }
    : { owned: false, cancelRequested: false };
}

export function* releaseRun(runId: string, owner: string, reason: string, now: number): Job<void> {
  const run = yield* lockRun(runId);
  if (!run || run.leaseOwner !== owner || run.status !== "running") return;
  yield* applyTransition(run, releaseTransition(run, reason, now), now);
}

export function* requeueExpired(maxAttempts: number, now: number): Job<string[]> {
  const expired = yield* select("runs", { where: leaseExpired(now), lock: "skip-locked" });
  for (const run of expired) yield* applyTransition(run, expireTransition(run, maxAttempts, now), now);
  return expired.map((r) => r.id);
}
