// Sweeps: creation, reads, their end (through sweep-lifecycle.ts), and the runs and eval metrics of their trials.
import { and, asc, count, desc, eq, gt, inArray } from "drizzle-orm";
import { metricColumns, sweepEvals } from "./queries.ts";
import {
  first,
  insertReturning,
  type Job,
  pick,
  select,
  type Tables,
  updateReturning,
} from "./statements.ts";
import type { MetricRecord, NewSweep, RunRecord, SweepEnd, SweepRecord } from "./store.ts";
import { endSweepTransition, reopenSweepTransition, type SweepReopen } from "./sweep-lifecycle.ts";

const sweepById = (id: string) => (t: Tables) => eq(t.sweeps.id, id);

export function* createSweep(sweep: NewSweep, now: number): Job<SweepRecord> {
  const [row] = yield* insertReturning("sweeps", {
    ...sweep,
    status: "running",
    createdAt: now,
    startedAt: now,
  });
  return row!;
}

export function getSweep(id: string): Job<SweepRecord | undefined> {
  return first("sweeps", { where: sweepById(id) });
}

export function listSweeps(limit: number): Job<SweepRecord[]> {
  return select("sweeps", { orderBy: (t) => [desc(t.sweeps.createdAt)], limit });
}

/** Running sweeps by id, after `afterId` (a page of the scheduler's pass over every one of them). */
export function listRunningSweeps(afterId: string | undefined, limit: number): Job<SweepRecord[]> {
  return select("sweeps", {
    where: (t) =>
      and(eq(t.sweeps.status, "running"), afterId === undefined ? undefined : gt(t.sweeps.id, afterId)),
    orderBy: (t) => [asc(t.sweeps.id)],
    limit,
  });
}

export function* endSweep(id: string, end: SweepEnd, now: number): Job<SweepRecord | undefined> {
  const sweep = yield* first("sweeps", { where: sweepById(id), lock: "wait" });
  const patch = sweep && endSweepTransition(sweep, end, now);
  if (!patch) return undefined;
  const [row] = yield* updateReturning("sweeps", patch, sweepById(id));
  return row;
}

/** Resume, retry or extend a sweep (sweep-lifecycle.ts), the row locked; undefined for an unknown sweep. */
export function* reopenSweep(id: string, request: SweepReopen, now: number): Job<SweepRecord | undefined> {
  const sweep = yield* first("sweeps", { where: sweepById(id), lock: "wait" });
  if (!sweep) return undefined;
  const [active] = yield* pick("runs", () => ({ n: count() }), {
    where: (t) => and(eq(t.runs.sweepId, id), inArray(t.runs.status, ["queued", "running"])),
  });
  const patch = reopenSweepTransition(sweep, request, { active: Number(active?.n ?? 0) }, now);
  const [row] = yield* updateReturning("sweeps", patch, sweepById(id));
  return row;
}

export function sweepRuns(sweepId: string): Job<RunRecord[]> {
  return select("runs", {
    where: (t) => eq(t.runs.sweepId, sweepId),
    orderBy: (t) => [asc(t.runs.trialIndex), asc(t.runs.repeatIndex), asc(t.runs.trialAttempt)],
  });
}

export function sweepMetrics(sweepId: string): Job<(MetricRecord & { runId: string })[]> {
  return pick("runMetrics", metricColumns, {
    where: sweepEvals(sweepId),
    orderBy: (t) => [asc(t.runMetrics.runId), asc(t.runMetrics.step)],
  });
}
