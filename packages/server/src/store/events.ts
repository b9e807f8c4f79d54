// A run's events and metrics: appended through the lifecycle, read back in order.
import type { RunEvent } from "@sweeplab/core";
import { and, asc, eq, gt } from "drizzle-orm";
import { applyTransition } from "./apply-transition.ts";
import { workerEventTransition } from "./lifecycle.ts";
import { metricColumnsWithoutRun } from "./queries.ts";
import { lockRun } from "./runs.ts";
import { type Job, pick } from "./statements.ts";
import type { EventExtras, LeaseState, MetricRecord, RunRecord, StoredEvent } from "./store.ts";

export interface AppendOptions {
  owner?: string;
  leaseMs?: number;
  extras?: EventExtras;
}

export function* appendEvent(
  runId: string,
  event: RunEvent,
  options: AppendOptions,
  now: number,
): Job<LeaseState & { seq?: number }> {
  const run = yield* lockRun(runId);
  if (!run) return { owned: false, cancelRequested: false };
  if (!mayWrite(run, options)) return { owned: false, cancelRequested: run.cancelRequested };
  const transition = workerEventTransition(run, event, options.extras ?? {}, now);
  // A worker's write renews its lease, unless the event ended the run (the transition let go of the lease).
  if (options.owner && options.leaseMs && transition.patch.status === undefined) {
    transition.patch.leaseExpiresAt = now + options.leaseMs;
  }
  const seq = yield* applyTransition(run, { ...transition, event }, now);
  return { owned: true, cancelRequested: run.cancelRequested, seq };
}

/**
 * A write that names a worker happens only while that worker holds the running run's lease: a worker presumed
 * dead (its run requeued, taken over or ended) can never write into it. A write without an owner (tests; no
 * caller in the service) goes through the lifecycle alone.
 */
function mayWrite(run: RunRecord, options: AppendOptions): boolean {
  if (!options.owner) return true;
  return run.leaseOwner === options.owner && run.status === "running";
}

export function pickEventsAfter(runId: string, afterSeq: number, limit: number): Job<StoredEvent[]> {
  return pick(
    "runEvents",
    (t) => ({
      seq: t.runEvents.seq,
      type: t.runEvents.type,
      data: t.runEvents.data,
      createdAt: t.runEvents.createdAt,
    }),
    {
      where: (t) => and(eq(t.runEvents.runId, runId), gt(t.runEvents.seq, afterSeq)),
      orderBy: (t) => [asc(t.runEvents.seq)],
      limit,
    },
  );
}

export function pickMetrics(
  runId: string,
  page: { afterStep?: number; limit?: number },
): Job<MetricRecord[]> {
  return pick("runMetrics", metricColumnsWithoutRun, {
    where: (t) => and(eq(t.runMetrics.runId, runId), gt(t.runMetrics.step, page.afterStep ?? -1)),
    orderBy: (t) => [asc(t.runMetrics.step), asc(t.runMetrics.kind)],
    limit: page.limit,
  });
}
