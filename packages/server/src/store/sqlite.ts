// The embedded store: one SQLite file (WAL) shared by the API process and its local worker processes.
import { chmodSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { RUN_STATUSES, type RunEvent, type RunStatus } from "@sweeplab/core";
import BetterSqlite3 from "better-sqlite3";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, notExists, or } from "drizzle-orm";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import {
  cancelTransition,
  claimTransition,
  expireTransition,
  releaseTransition,
  type Transition,
  workerEventTransition,
} from "./lifecycle.ts";
import * as schema from "./schema-sqlite.ts";
import { artifacts, runEvents, runMetrics, runs, runTags, sweeps, workers } from "./schema-sqlite.ts";
import {
  type Claim,
  type EventExtras,
  type LeaseState,
  type NewRun,
  type NewSweep,
  type RunQuery,
  type RunRecord,
  type Store,
  StoreConflictError,
  type StoredEvent,
} from "./store.ts";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations/sqlite");

type Db = BetterSQLite3Database<typeof schema>;

export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "");
}

/** Opens (creating if needed, owner-only) the SQLite file and applies migrations. */
export function openSqliteStore(url: string): Store {
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const sqlite = new BetterSqlite3(path);
  // Owner-only: runs, configs and trained weights are nobody else's business (WAL files inherit the mode).
  if (path !== ":memory:") chmodSync(path, 0o600);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 10000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema, casing: "snake_case" });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return new SqliteStore(db, sqlite, path);
}

class SqliteStore implements Store {
  readonly dialect = "sqlite";

  constructor(
    private readonly db: Db,
    private readonly sqlite: BetterSqlite3.Database,
    readonly location: string,
  ) {}

  /** Applies a lifecycle transition to a run inside the current transaction. */
  private apply(tx: Db, run: RunRecord, transition: Transition, now: number): number | undefined {
    let seq: number | undefined;
    const patch = { ...transition.patch };
    if (transition.event) {
      seq = run.lastSeq + 1;
      patch.lastSeq = seq;
      const { type, ...data } = transition.event;
      tx.insert(runEvents).values({ runId: run.id, seq, type, data, createdAt: now }).run();
    }
    if (transition.metric) {
      const { step, kind, ...values } = transition.metric;
      tx.insert(runMetrics)
        .values({ runId: run.id, ...transition.metric })
        .onConflictDoUpdate({ target: [runMetrics.runId, runMetrics.step, runMetrics.kind], set: values })
        .run();
      void step;
      void kind;
    }
    if (Object.keys(patch).length > 0) tx.update(runs).set(patch).where(eq(runs.id, run.id)).run();
    return seq;
  }

  private runIn(tx: Db, id: string): RunRecord | undefined {
    return tx.select().from(runs).where(eq(runs.id, id)).get();
  }

  async createRun(input: NewRun): Promise<{ run: RunRecord; created: boolean }> {
    const now = Date.now();
    // IMMEDIATE takes the write lock first, so two processes with one idempotency key cannot both insert.
    return this.db.transaction(
      (tx) => {
        if (input.idempotencyKey) {
          const existing = tx.select().from(runs).where(eq(runs.idempotencyKey, input.idempotencyKey)).get();
          if (existing) return { run: checkSameRequest(existing, input), created: false };
        }
        const row = tx
          .insert(runs)
          .values({
            id: input.id,
            name: input.name,
            tags: input.tags,
            status: "queued",
            config: input.config,
            idempotencyKey: input.idempotencyKey ?? null,
            requestHash: input.requestHash ?? null,
            totalSteps: input.totalSteps,
            createdAt: now,
            sweepId: input.sweep?.sweepId ?? null,
            trialIndex: input.sweep?.trialIndex ?? null,
            repeatIndex: input.sweep?.repeatIndex ?? null,
            trial: input.sweep?.trial ?? null,
          })
          .returning()
          .get();
        for (const tag of new Set(input.tags)) tx.insert(runTags).values({ runId: row.id, tag }).run();
        this.apply(tx, row, { patch: {}, event: { type: "queued" } }, now);
        return { run: this.runIn(tx, row.id)!, created: true };
      },
      { behavior: "immediate" },
    );
  }

  async getRun(id: string) {
    return this.db.select().from(runs).where(eq(runs.id, id)).get();
  }

  async getRunByIdempotencyKey(key: string) {
    return this.db.select().from(runs).where(eq(runs.idempotencyKey, key)).get();
  }

  async listRuns(q: RunQuery) {
    const sortColumn = q.sort === "created" ? runs.createdAt : runs.testAccuracy;
    const filters = [
      q.status ? eq(runs.status, q.status) : undefined,
      q.sweepId ? eq(runs.sweepId, q.sweepId) : undefined,
      q.tag
        ? inArray(runs.id, this.db.select({ id: runTags.runId }).from(runTags).where(eq(runTags.tag, q.tag)))
        : undefined,
      q.sort === "testAccuracy" ? isNotNull(runs.testAccuracy) : undefined,
      q.after
        ? or(lt(sortColumn, q.after.v), and(eq(sortColumn, q.after.v), lt(runs.id, q.after.id)))
        : undefined,
    ];
    return this.db
      .select()
      .from(runs)
      .where(and(...filters))
      .orderBy(desc(sortColumn), desc(runs.id))
      .limit(q.limit)
      .all();
  }

  async countRunsByStatus() {
    const rows = this.db.select({ status: runs.status, n: count() }).from(runs).groupBy(runs.status).all();
    return countsByStatus(rows);
  }

  async deleteRun(id: string) {
    this.db.delete(runs).where(eq(runs.id, id)).run();
  }

  async requestCancel(id: string, reason: string) {
    const now = Date.now();
    return this.db.transaction(
      (tx) => {
        const run = this.runIn(tx, id);
        if (!run) throw new StoreConflictError("INVALID_TRANSITION", `no run ${id}`);
        this.apply(tx, run, cancelTransition(run, reason, now), now);
        return this.runIn(tx, id)!;
      },
      { behavior: "immediate" },
    );
  }

  async appendEvent(
    runId: string,
    event: RunEvent,
    options: { owner?: string; leaseMs?: number; extras?: EventExtras } = {},
  ): Promise<LeaseState & { seq?: number }> {
    const now = Date.now();
    return this.db.transaction(
      (tx) => {
        const run = this.runIn(tx, runId);
        if (!run) return { owned: false, cancelRequested: false };
        if (options.owner && run.leaseOwner !== options.owner) {
          return { owned: false, cancelRequested: run.cancelRequested };
        }
        const transition = workerEventTransition(run, event, options.extras ?? {}, now);
        if (
          options.owner &&
          options.leaseMs &&
          run.status === "running" &&
          transition.patch.status === undefined
        ) {
          transition.patch.leaseExpiresAt = now + options.leaseMs;
        }
        const seq = this.apply(tx, run, { ...transition, event }, now);
        return { owned: true, cancelRequested: run.cancelRequested, seq };
      },
      { behavior: "immediate" },
    );
  }

  async eventsAfter(runId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return this.db
      .select({
        seq: runEvents.seq,
        type: runEvents.type,
        data: runEvents.data,
        createdAt: runEvents.createdAt,
      })
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, afterSeq)))
      .orderBy(asc(runEvents.seq))
      .limit(limit)
      .all() as StoredEvent[];
  }

  async metrics(runId: string, page: { afterStep?: number; limit?: number } = {}) {
    return this.db
      .select(metricColumnsWithoutRun)
      .from(runMetrics)
      .where(and(eq(runMetrics.runId, runId), gt(runMetrics.step, page.afterStep ?? -1)))
      .orderBy(asc(runMetrics.step), asc(runMetrics.kind))
      .limit(page.limit ?? -1)
      .all();
  }

  async claimRun(worker: { id: string; host: string }, leaseMs: number): Promise<Claim | undefined> {
    const now = Date.now();
    return this.db.transaction(
      (tx) => {
        const run = tx
          .select()
          .from(runs)
          .where(and(eq(runs.status, "queued"), eq(runs.cancelRequested, false)))
          .orderBy(asc(runs.createdAt), asc(runs.id))
          .limit(1)
          .get();
        if (!run) return undefined;
        this.apply(tx, run, claimTransition(run, worker, leaseMs, now), now);
        tx.update(workers).set({ runId: run.id, heartbeatAt: now }).where(eq(workers.id, worker.id)).run();
        const checkpoint = tx
          .select({ step: artifacts.step, bytes: artifacts.bytes })
          .from(artifacts)
          .where(and(eq(artifacts.runId, run.id), eq(artifacts.kind, "checkpoint")))
          .get();
        return { run: this.runIn(tx, run.id)!, ...(checkpoint ? { checkpoint } : {}) };
      },
      { behavior: "immediate" },
    );
  }

  async claimQueuedRun(worker: { id: string; host: string }, runId: string, leaseMs: number) {
    const now = Date.now();
    return this.db.transaction(
      (tx) => {
        const checkpoint = tx
          .select({ runId: artifacts.runId })
          .from(artifacts)
          .where(and(eq(artifacts.runId, runId), eq(artifacts.kind, "checkpoint")));
        const run = tx
          .select()
          .from(runs)
          .where(
            and(
              eq(runs.id, runId),
              eq(runs.status, "queued"),
              eq(runs.cancelRequested, false),
              notExists(checkpoint),
            ),
          )
          .get();
        if (!run) return undefined;
        this.apply(tx, run, claimTransition(run, worker, leaseMs, now), now);
        return this.runIn(tx, run.id)!;
      },
      { behavior: "immediate" },
    );
  }

  async renewLease(runId: string, owner: string, leaseMs: number): Promise<LeaseState> {
    const now = Date.now();
    const row = this.db
      .update(runs)
      .set({ leaseExpiresAt: now + leaseMs })
      .where(and(eq(runs.id, runId), eq(runs.leaseOwner, owner), eq(runs.status, "running")))
      .returning({ cancelRequested: runs.cancelRequested })
      .get();
    this.db.update(workers).set({ heartbeatAt: now }).where(eq(workers.id, owner)).run();
    return row
      ? { owned: true, cancelRequested: row.cancelRequested }
      : { owned: false, cancelRequested: false };
  }

  async releaseRun(runId: string, owner: string, reason: string) {
    const now = Date.now();
    this.db.transaction(
      (tx) => {
        const run = this.runIn(tx, runId);
        if (!run || run.leaseOwner !== owner || run.status !== "running") return;
        this.apply(tx, run, releaseTransition(run, reason, now), now);
      },
      { behavior: "immediate" },
    );
  }

  async requeueExpired(maxAttempts: number) {
    const now = Date.now();
    return this.db.transaction(
      (tx) => {
        const expired = tx
          .select()
          .from(runs)
          .where(
            and(eq(runs.status, "running"), or(isNull(runs.leaseExpiresAt), lt(runs.leaseExpiresAt, now))),
          )
          .all();
        for (const run of expired) this.apply(tx, run, expireTransition(run, maxAttempts, now), now);
        return expired.map((r) => r.id);
      },
      { behavior: "immediate" },
    );
  }

  async putArtifact(runId: string, kind: "checkpoint" | "weights", step: number, bytes: Buffer) {
    const createdAt = Date.now();
    this.db
      .insert(artifacts)
      .values({ runId, kind, step, bytes, createdAt })
      .onConflictDoUpdate({ target: [artifacts.runId, artifacts.kind], set: { step, bytes, createdAt } })
      .run();
  }

  async getArtifact(runId: string, kind: "checkpoint" | "weights") {
    return this.db
      .select({ step: artifacts.step, bytes: artifacts.bytes })
      .from(artifacts)
      .where(and(eq(artifacts.runId, runId), eq(artifacts.kind, kind)))
      .get();
  }

  async upsertWorker(worker: Omit<typeof workers.$inferInsert, "heartbeatAt">) {
    const heartbeatAt = Date.now();
    const { id, ...rest } = worker;
    this.db
      .insert(workers)
      .values({ ...worker, heartbeatAt })
      .onConflictDoUpdate({ target: workers.id, set: { ...rest, heartbeatAt } })
      .run();
  }

  async listWorkers() {
    return this.db.select().from(workers).orderBy(asc(workers.startedAt)).all();
  }

  async removeWorker(id: string) {
    this.db.delete(workers).where(eq(workers.id, id)).run();
  }

  async createSweep(sweep: NewSweep) {
    return this.db
      .insert(sweeps)
      .values({ ...sweep, status: "running", createdAt: Date.now() })
      .returning()
      .get();
  }

  async getSweep(id: string) {
    return this.db.select().from(sweeps).where(eq(sweeps.id, id)).get();
  }

  async listSweeps(limit: number) {
    return this.db.select().from(sweeps).orderBy(desc(sweeps.createdAt)).limit(limit).all();
  }

  async listRunningSweeps(afterId: string | undefined, limit: number) {
    const after = afterId === undefined ? undefined : gt(sweeps.id, afterId);
    return this.db
      .select()
      .from(sweeps)
      .where(and(eq(sweeps.status, "running"), after))
      .orderBy(asc(sweeps.id))
      .limit(limit)
      .all();
  }

  async finishSweep(id: string, status: string, stopReason: string | null) {
    return this.db
      .update(sweeps)
      .set({ status, stopReason, finishedAt: Date.now() })
      .where(and(eq(sweeps.id, id), eq(sweeps.status, "running")))
      .returning()
      .get();
  }

  async sweepRuns(sweepId: string) {
    return this.db
      .select()
      .from(runs)
      .where(eq(runs.sweepId, sweepId))
      .orderBy(asc(runs.trialIndex), asc(runs.repeatIndex))
      .all();
  }

  async sweepMetrics(sweepId: string) {
    return this.db
      .select(metricColumns)
      .from(runMetrics)
      .innerJoin(runs, eq(runs.id, runMetrics.runId))
      .where(and(eq(runs.sweepId, sweepId), eq(runMetrics.kind, "eval")))
      .orderBy(asc(runMetrics.runId), asc(runMetrics.step))
      .all();
  }

  async close() {
    this.sqlite.close();
  }
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

const metricColumns = {
  runId: runMetrics.runId,
  step: runMetrics.step,
  kind: runMetrics.kind,
  loss: runMetrics.loss,
  learningRate: runMetrics.learningRate,
  msPerStep: runMetrics.msPerStep,
  trainLoss: runMetrics.trainLoss,
  trainAccuracy: runMetrics.trainAccuracy,
  validationLoss: runMetrics.validationLoss,
  validationAccuracy: runMetrics.validationAccuracy,
};
const { runId: _runId, ...metricColumnsWithoutRun } = metricColumns;
