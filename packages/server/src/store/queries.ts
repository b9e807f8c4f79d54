// The store's conditions, orders and rows, built once for both dialects: each is a function of the tables, so the
// dialect running the statement supplies its own. No SQL here depends on the dialect.
import { RUN_STATUSES, type RunStatus } from "@sweeplab/core";
import { and, asc, desc, eq, isNotNull, isNull, lt, notExists, or, type SQL, sql } from "drizzle-orm";
import type { Tables } from "./statements.ts";
import { type NewRun, type RunQuery, type RunRecord, StoreConflictError } from "./store.ts";

/** The filters and the keyset page of a run listing, newest (or most accurate) first. */
export function runListing(q: RunQuery) {
  const sortColumn = (t: Tables) => (q.sort === "created" ? t.runs.createdAt : t.runs.testAccuracy);
  return {
    where: (t: Tables) => {
      const column = sortColumn(t);
      return and(
        q.status ? eq(t.runs.status, q.status) : undefined,
        q.sweepId ? eq(t.runs.sweepId, q.sweepId) : undefined,
        q.tag
          ? sql`${t.runs.id} in (select ${t.runTags.runId} from ${t.runTags} where ${t.runTags.tag} = ${q.tag})`
          : undefined,
        q.sort === "testAccuracy" ? isNotNull(t.runs.testAccuracy) : undefined,
        q.after
          ? or(lt(column, q.after.v), and(eq(column, q.after.v), lt(t.runs.id, q.after.id)))
          : undefined,
      );
    },
    orderBy: (t: Tables) => [desc(sortColumn(t)), desc(t.runs.id)],
    limit: q.limit,
  };
}

/** A run a worker may take: queued and not asked to cancel. */
export const claimable = (t: Tables) => and(eq(t.runs.status, "queued"), eq(t.runs.cancelRequested, false));
/** The queue's order: oldest first. */
export const queueOrder = (t: Tables) => [asc(t.runs.createdAt), asc(t.runs.id)];
/** A named run another worker may join to a batch: claimable, and with no checkpoint to resume from. */
export const joinable = (runId: string) => (t: Tables) =>
  and(
    eq(t.runs.id, runId),
    claimable(t),
    notExists(
      sql`(select 1 from ${t.artifacts} where ${t.artifacts.runId} = ${t.runs.id} and ${t.artifacts.kind} = 'checkpoint')`,
    ),
  );
/** A run whose worker stopped renewing its lease. */
export const leaseExpired = (now: number) => (t: Tables) =>
  and(eq(t.runs.status, "running"), or(isNull(t.runs.leaseExpiresAt), lt(t.runs.leaseExpiresAt, now)));
/** A running run whose lease `owner` holds. */
export const leaseHeldBy = (runId: string, owner: string) => (t: Tables) =>
  and(eq(t.runs.id, runId), eq(t.runs.leaseOwner, owner), eq(t.runs.status, "running"));
export const runById = (id: string) => (t: Tables) => eq(t.runs.id, id);
export const runByKey = (idempotencyKey: string) => (t: Tables) => eq(t.runs.idempotencyKey, idempotencyKey);
export const artifactOf = (runId: string, kind: "checkpoint" | "weights") => (t: Tables) =>
  and(eq(t.artifacts.runId, runId), eq(t.artifacts.kind, kind));
/** The eval metrics of every run of a sweep. */
export const sweepEvals = (sweepId: string) => (t: Tables) =>
  and(
    sql`${t.runMetrics.runId} in (select ${t.runs.id} from ${t.runs} where ${t.runs.sweepId} = ${sweepId})`,
    eq(t.runMetrics.kind, "eval"),
  ) as SQL;

export const metricColumns = (t: Tables) => ({
  runId: t.runMetrics.runId,
  ...metricColumnsWithoutRun(t),
});
export const metricColumnsWithoutRun = (t: Tables) => ({
  step: t.runMetrics.step,
  kind: t.runMetrics.kind,
  loss: t.runMetrics.loss,
  learningRate: t.runMetrics.learningRate,
  msPerStep: t.runMetrics.msPerStep,
  trainLoss: t.runMetrics.trainLoss,
  trainAccuracy: t.runMetrics.trainAccuracy,
  validationLoss: t.runMetrics.validationLoss,
  validationAccuracy: t.runMetrics.validationAccuracy,
});

/** The row of a new queued run. */
export function newRunRow(input: NewRun, now: number) {
  return {
    id: input.id,
    name: input.name,
    tags: input.tags,
    status: "queued" as const,
    config: input.config,
    idempotencyKey: input.idempotencyKey ?? null,
    requestHash: input.requestHash ?? null,
    totalSteps: input.totalSteps,
    createdAt: now,
    sweepId: input.sweep?.sweepId ?? null,
    trialIndex: input.sweep?.trialIndex ?? null,
    repeatIndex: input.sweep?.repeatIndex ?? null,
    trial: input.sweep?.trial ?? null,
    trialAttempt: input.sweep?.attempt ?? 0,
    retryOf: input.sweep?.retryOf ?? null,
  };
}

/** A repeated idempotency key must come with the same request. */
export function checkSameRequest(existing: RunRecord, input: NewRun): RunRecord {
  if (input.requestHash && existing.requestHash && existing.requestHash !== input.requestHash) {
    throw new StoreConflictError(
      "IDEMPOTENCY_KEY_REUSED",
      `Idempotency-Key "${input.idempotencyKey}" was used for run ${existing.id} with a different request body`,
    );
  }
  return existing;
}

export function countsByStatus(rows: { status: RunStatus; n: number }[]): Record<RunStatus, number> {
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
