// The narrow reads behind a sweep's incremental state (sweeps/sweep-state.ts): a fingerprint that changes with any
// write to the sweep's runs, each run's event number (its version), the columns a trial row needs for the runs that
// changed, each run's last evaluation, and the curves of a few runs. No read here loads a run's config or the
// metrics of every run.
import { and, asc, count, eq, inArray, type SQL, sql } from "drizzle-orm";
import { type Job, pick, type Tables } from "./statements.ts";
import type { RunRecord, SweepRunRow } from "./store.ts";

/** Statement parameters stay far below SQLite's and PostgreSQL's limits. */
const IDS_PER_READ = 500;

/** `read` over `ids` in pages of IDS_PER_READ, the rows of every page together. */
function* inPages<T>(ids: readonly string[], read: (page: string[]) => Job<T[]>): Job<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_READ)
    rows.push(...(yield* read(ids.slice(i, i + IDS_PER_READ))));
  return rows;
}

/**
 * Changes whenever a run of the sweep is created, deleted, or written through the lifecycle (every row change
 * appends an event, which raises the run's `lastSeq`); the creation times tell a deleted run from its replacement.
 */
export interface SweepRunsFingerprint {
  runs: number;
  seqSum: number;
  createdSum: number;
}

const ofSweep = (sweepId: string) => (t: Parameters<Parameters<typeof pick>[1]>[0]) =>
  eq(t.runs.sweepId, sweepId);

export function* sweepRunsFingerprint(sweepId: string): Job<SweepRunsFingerprint> {
  const [row] = yield* pick(
    "runs",
    (t) => ({
      runs: count(),
      // Both dialects return a sum of integers as text or a number; Number() reads either.
      seqSum: sql<string | number | null>`sum(${t.runs.lastSeq})`,
      createdSum: sql<string | number | null>`sum(${t.runs.createdAt})`,
    }),
    { where: ofSweep(sweepId) },
  );
  return {
    runs: Number(row?.runs ?? 0),
    seqSum: Number(row?.seqSum ?? 0),
    createdSum: Number(row?.createdSum ?? 0),
  };
}

/** Each run's id and event number (its version). */
export function sweepRunVersions(sweepId: string): Job<{ id: string; lastSeq: number }[]> {
  return pick("runs", (t) => ({ id: t.runs.id, lastSeq: t.runs.lastSeq }), { where: ofSweep(sweepId) });
}

const rowColumns = (t: Parameters<Parameters<typeof pick>[1]>[0]) => ({
  id: t.runs.id,
  status: t.runs.status,
  trialIndex: t.runs.trialIndex,
  repeatIndex: t.runs.repeatIndex,
  trialAttempt: t.runs.trialAttempt,
  retryOf: t.runs.retryOf,
  trial: t.runs.trial,
  step: t.runs.step,
  totalSteps: t.runs.totalSteps,
  lastSeq: t.runs.lastSeq,
  msPerStep: t.runs.msPerStep,
  testAccuracy: t.runs.testAccuracy,
  errorCode: t.runs.errorCode,
  errorMessage: t.runs.errorMessage,
  startedAt: t.runs.startedAt,
  finishedAt: t.runs.finishedAt,
});

/** The trial-row columns of the named runs of a sweep (in pages of ids). */
export function* sweepRunRows(sweepId: string, ids: readonly string[]): Job<SweepRunRow[]> {
  return yield* inPages(ids, (page) =>
    pick("runs", rowColumns, {
      where: (t) => and(eq(t.runs.sweepId, sweepId), inArray(t.runs.id, page)),
    }),
  );
}

/** The config and environment of the named runs of a sweep: what a multi-objective sweep's results read. */
export function* sweepRunObjectiveInputs(
  sweepId: string,
  ids: readonly string[],
): Job<Pick<RunRecord, "id" | "config" | "environment">[]> {
  return yield* inPages(ids, (page) =>
    pick("runs", (t) => ({ id: t.runs.id, config: t.runs.config, environment: t.runs.environment }), {
      where: (t) => and(eq(t.runs.sweepId, sweepId), inArray(t.runs.id, page)),
    }),
  );
}

/** A run's evaluation as the sweep's reads need it: which run, at which step, its validation accuracy. */
const evalPoint = (t: Tables) => ({
  runId: t.runMetrics.runId,
  step: t.runMetrics.step,
  validationAccuracy: t.runMetrics.validationAccuracy,
});

/** Each named run's last evaluation (the one at its highest step), for its metric. */
export function* lastEvals(
  runIds: readonly string[],
): Job<{ runId: string; step: number; validationAccuracy: number | null; validationLoss: number | null }[]> {
  return yield* inPages(runIds, (page) =>
    pick("runMetrics", (t) => ({ ...evalPoint(t), validationLoss: t.runMetrics.validationLoss }), {
      where: (t) =>
        and(
          inArray(t.runMetrics.runId, page),
          eq(t.runMetrics.kind, "eval"),
          sql`${t.runMetrics.step} = (select max(m.step) from ${t.runMetrics} m where m.run_id = ${t.runMetrics.runId} and m.kind = 'eval')`,
        ) as SQL,
    }),
  );
}

/** The validation-accuracy curves of the named runs, in step order. */
export function* evalCurves(
  runIds: readonly string[],
): Job<{ runId: string; step: number; validationAccuracy: number | null }[]> {
  return yield* inPages(runIds, (page) =>
    pick("runMetrics", evalPoint, {
      where: (t) => and(inArray(t.runMetrics.runId, page), eq(t.runMetrics.kind, "eval")),
      orderBy: (t) => [asc(t.runMetrics.runId), asc(t.runMetrics.step)],
    }),
  );
}

/** Runs by status of each named sweep (the sweeps list's counts, one grouped read). */
export function sweepStatusCounts(
  sweepIds: readonly string[],
): Job<{ sweepId: string | null; status: string; n: number }[]> {
  return pick("runs", (t) => ({ sweepId: t.runs.sweepId, status: t.runs.status, n: count() }), {
    where: (t) => inArray(t.runs.sweepId, [...sweepIds]),
    groupBy: (t) => [t.runs.sweepId, t.runs.status],
  });
}
