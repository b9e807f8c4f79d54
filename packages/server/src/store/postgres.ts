// The shared store: PostgreSQL through node-postgres, for several hosts on one queue. Claims take the oldest
// queued run with FOR UPDATE SKIP LOCKED, so concurrent workers never take the same run and never wait on each
// other; each event's number is assigned under a row lock on its run.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunEvent } from "@sweeplab/core";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lt, notExists, or } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import {
  cancelTransition,
  claimTransition,
  expireTransition,
  releaseTransition,
  type Transition,
  workerEventTransition,
} from "./lifecycle.ts";
import * as schema from "./schema-postgres.ts";
import { artifacts, runEvents, runMetrics, runs, runTags, sweeps, workers } from "./schema-postgres.ts";
import { checkSameRequest, countsByStatus } from "./sqlite.ts";
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

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations/postgres");
/** Serialises migrations when several processes start at once. */
const MIGRATION_LOCK = 0x5377_6c62;

type Db = NodePgDatabase<typeof schema>;
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://…";
  }
}

export async function openPostgresStore(url: string): Promise<Store> {
  // A server that does not answer within 10 s is as good as down (store/errors.ts calls it an outage).
  const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 10_000 });
  // A dropped connection surfaces on the next query; an idle client's error must not crash the process, nor must
  // that of a client checked out between two statements of a transaction (a restart ends it with 57P01).
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzle(pool, { schema, casing: "snake_case" });
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(db, { migrationsFolder: MIGRATIONS });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return new PostgresStore(db, pool, redactUrl(url));
}

class PostgresStore implements Store {
  readonly dialect = "postgres";

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  private async apply(tx: Tx, run: RunRecord, transition: Transition, now: number) {
    let seq: number | undefined;
    const patch = { ...transition.patch };
    if (transition.event) {
      seq = run.lastSeq + 1;
      patch.lastSeq = seq;
      const { type, ...data } = transition.event;
      await tx.insert(runEvents).values({ runId: run.id, seq, type, data, createdAt: now });
    }
    if (transition.metric) {
      const { step: _step, kind: _kind, ...values } = transition.metric;
      await tx
        .insert(runMetrics)
        .values({ runId: run.id, ...transition.metric })
        .onConflictDoUpdate({ target: [runMetrics.runId, runMetrics.step, runMetrics.kind], set: values });
    }
    if (Object.keys(patch).length > 0) await tx.update(runs).set(patch).where(eq(runs.id, run.id));
    return seq;
  }

  private async lockRun(tx: Tx, id: string): Promise<RunRecord | undefined> {
    const [run] = await tx.select().from(runs).where(eq(runs.id, id)).for("update");
    return run;
  }

  private async runIn(tx: Tx | Db, id: string): Promise<RunRecord | undefined> {
    const [run] = await tx.select().from(runs).where(eq(runs.id, id));
    return run;
  }

  async createRun(input: NewRun) {
    const now = Date.now();
    return this.db.transaction(async (tx) => {
      const [row] = await tx
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
        .onConflictDoNothing({ target: runs.idempotencyKey })
        .returning();
      if (!row) {
        // The key exists (perhaps inserted by a concurrent request that committed first).
        const [existing] = await tx.select().from(runs).where(eq(runs.idempotencyKey, input.idempotencyKey!));
        return { run: checkSameRequest(existing!, input), created: false };
      }
      for (const tag of new Set(input.tags)) await tx.insert(runTags).values({ runId: row.id, tag });
      await this.apply(tx, row, { patch: {}, event: { type: "queued" } }, now);
      return { run: (await this.runIn(tx, row.id))!, created: true };
    });
  }

  async getRun(id: string) {
    return this.runIn(this.db, id);
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
      .limit(q.limit);
  }

  async countRunsByStatus() {
    const rows = await this.db.select({ status: runs.status, n: count() }).from(runs).groupBy(runs.status);
    return countsByStatus(rows);
  }

  async deleteRun(id: string) {
    await this.db.delete(runs).where(eq(runs.id, id));
  }

  async requestCancel(id: string, reason: string) {
    const now = Date.now();
    return this.db.transaction(async (tx) => {
      const run = await this.lockRun(tx, id);
      if (!run) throw new StoreConflictError("INVALID_TRANSITION", `no run ${id}`);
      await this.apply(tx, run, cancelTransition(run, reason, now), now);
      return (await this.runIn(tx, id))!;
    });
  }

  async appendEvent(
    runId: string,
    event: RunEvent,
    options: { owner?: string; leaseMs?: number; extras?: EventExtras } = {},
  ): Promise<LeaseState & { seq?: number }> {
    const now = Date.now();
    return this.db.transaction(async (tx) => {
      const run = await this.lockRun(tx, runId);
      if (!run) return { owned: false, cancelRequested: false };
      if (options.owner && run.leaseOwner !== options.owner) {
        return { owned: false, cancelRequested: run.cancelRequested };
      }
      const transition = workerEventTransition(run, event, options.extras ?? {}, now);
      if (options.owner && options.leaseMs && transition.patch.status === undefined) {
        transition.patch.leaseExpiresAt = now + options.leaseMs;
      }
      const seq = await this.apply(tx, run, { ...transition, event }, now);
      return { owned: true, cancelRequested: run.cancelRequested, seq };
    });
  }

  async eventsAfter(runId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return (await this.db
      .select({
        seq: runEvents.seq,
        type: runEvents.type,
        data: runEvents.data,
        createdAt: runEvents.createdAt,
      })
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, afterSeq)))
      .orderBy(asc(runEvents.seq))
      .limit(limit)) as StoredEvent[];
  }

  async metrics(runId: string, page: { afterStep?: number; limit?: number } = {}) {
    const { runId: _, ...columns } = metricColumns;
    const query = this.db
      .select(columns)
      .from(runMetrics)
      .where(and(eq(runMetrics.runId, runId), gt(runMetrics.step, page.afterStep ?? -1)))
      .orderBy(asc(runMetrics.step), asc(runMetrics.kind));
    return page.limit === undefined ? query : query.limit(page.limit);
  }

  async claimRun(worker: { id: string; host: string }, leaseMs: number): Promise<Claim | undefined> {
    const now = Date.now();
    return this.db.transaction(async (tx) => {
      const [run] = await tx
        .select()
        .from(runs)
        .where(and(eq(runs.status, "queued"), eq(runs.cancelRequested, false)))
        .orderBy(asc(runs.createdAt), asc(runs.id))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!run) return undefined;
      await this.apply(tx, run, claimTransition(run, worker, leaseMs, now), now);
      await tx.update(workers).set({ runId: run.id, heartbeatAt: now }).where(eq(workers.id, worker.id));
      const [checkpoint] = await tx
        .select({ step: artifacts.step, bytes: artifacts.bytes })
        .from(artifacts)
        .where(and(eq(artifacts.runId, run.id), eq(artifacts.kind, "checkpoint")));
      return { run: (await this.runIn(tx, run.id))!, ...(checkpoint ? { checkpoint } : {}) };
    });
  }

  async claimQueuedRun(worker: { id: string; host: string }, runId: string, leaseMs: number) {
    const now = Date.now();
    return this.db.transaction(async (tx) => {
      const checkpoint = tx
        .select({ runId: artifacts.runId })
        .from(artifacts)
        .where(and(eq(artifacts.runId, runId), eq(artifacts.kind, "checkpoint")));
      const [run] = await tx
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
        .for("update", { skipLocked: true });
      if (!run) return undefined;
      await this.apply(tx, run, claimTransition(run, worker, leaseMs, now), now);
      return this.runIn(tx, run.id);
    });
  }

  async renewLease(runId: string, owner: string, leaseMs: number): Promise<LeaseState> {
    const now = Date.now();
    const [row] = await this.db
      .update(runs)
      .set({ leaseExpiresAt: now + leaseMs })
      .where(and(eq(runs.id, runId), eq(runs.leaseOwner, owner), eq(runs.status, "running")))
      .returning({ cancelRequested: runs.cancelRequested });
    await this.db.update(workers).set({ heartbeatAt: now }).where(eq(workers.id, owner));
    return row
      ? { owned: true, cancelRequested: row.cancelRequested }
      : { owned: false, cancelRequested: false };
  }

  async releaseRun(runId: string, owner: string, reason: string) {
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      const run = await this.lockRun(tx, runId);
      if (!run || run.leaseOwner !== owner || run.status !== "running") return;
      await this.apply(tx, run, releaseTransition(run, reason, now), now);
    });
  }

  async requeueExpired(maxAttempts: number) {
    const now = Date.now();
    return this.db.transaction(async (tx) => {
      const expired = await tx
        .select()
        .from(runs)
        .where(and(eq(runs.status, "running"), or(isNull(runs.leaseExpiresAt), lt(runs.leaseExpiresAt, now))))
        .for("update", { skipLocked: true });
      for (const run of expired) await this.apply(tx, run, expireTransition(run, maxAttempts, now), now);
      return expired.map((r) => r.id);
    });
  }

  async putArtifact(runId: string, kind: "checkpoint" | "weights", step: number, bytes: Buffer) {
    const createdAt = Date.now();
    await this.db
      .insert(artifacts)
      .values({ runId, kind, step, bytes, createdAt })
      .onConflictDoUpdate({ target: [artifacts.runId, artifacts.kind], set: { step, bytes, createdAt } });
  }

  async getArtifact(runId: string, kind: "checkpoint" | "weights") {
    const [row] = await this.db
      .select({ step: artifacts.step, bytes: artifacts.bytes })
      .from(artifacts)
      .where(and(eq(artifacts.runId, runId), eq(artifacts.kind, kind)));
    return row;
  }

  async upsertWorker(worker: Omit<typeof workers.$inferInsert, "heartbeatAt">) {
    const heartbeatAt = Date.now();
    const { id: _, ...rest } = worker;
    await this.db
      .insert(workers)
      .values({ ...worker, heartbeatAt })
      .onConflictDoUpdate({ target: workers.id, set: { ...rest, heartbeatAt } });
  }

  async listWorkers() {
    return this.db.select().from(workers).orderBy(asc(workers.startedAt));
  }

  async removeWorker(id: string) {
    await this.db.delete(workers).where(eq(workers.id, id));
  }

  async createSweep(sweep: NewSweep) {
    const [row] = await this.db
      .insert(sweeps)
      .values({ ...sweep, status: "running", createdAt: Date.now() })
      .returning();
    return row!;
  }

  async getSweep(id: string) {
    const [row] = await this.db.select().from(sweeps).where(eq(sweeps.id, id));
    return row;
  }

  async listSweeps(limit: number) {
    return this.db.select().from(sweeps).orderBy(desc(sweeps.createdAt)).limit(limit);
  }

  async finishSweep(id: string, status: string, stopReason: string | null) {
    const [row] = await this.db
      .update(sweeps)
      .set({ status, stopReason, finishedAt: Date.now() })
      .where(and(eq(sweeps.id, id), eq(sweeps.status, "running")))
      .returning();
    return row;
  }

  async sweepRuns(sweepId: string) {
    return this.db
      .select()
      .from(runs)
      .where(eq(runs.sweepId, sweepId))
      .orderBy(asc(runs.trialIndex), asc(runs.repeatIndex));
  }

  async sweepMetrics(sweepId: string) {
    return this.db
      .select(metricColumns)
      .from(runMetrics)
      .innerJoin(runs, eq(runs.id, runMetrics.runId))
      .where(and(eq(runs.sweepId, sweepId), eq(runMetrics.kind, "eval")))
      .orderBy(asc(runMetrics.runId), asc(runMetrics.step));
  }

  async close() {
    await this.pool.end();
  }
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
