// The store's tables for SQLite. schema-postgres.ts has the same tables, columns and indexes in PostgreSQL's
// types; store.test.ts runs every store behaviour on both. Timestamps are epoch milliseconds.
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type * as columns from "./column-types.ts";

export const sweeps = sqliteTable("sweeps", {
  id: text().primaryKey(),
  name: text(),
  status: text().$type<columns.SweepStatus>().notNull(),
  /** The sweep request after defaults (space, method, trials, parallelism, seed, repeats, early stopping). */
  spec: text({ mode: "json" }).notNull(),
  stopReason: text(),
  createdAt: integer().notNull(),
  finishedAt: integer(),
  /** When the sweep last started running (created, resumed or reopened): a wall-clock budget counts from it. */
  startedAt: integer(),
  /** The last resume: trials whose latest attempt ended canceled by then are run again. */
  resumedAt: integer(),
  /** The last retry request: trials whose latest attempt ended failed or diverged by then are run again. */
  retryAt: integer(),
});

export const runs = sqliteTable(
  "runs",
  {
    id: text().primaryKey(),
    name: text(),
    tags: text({ mode: "json" }).$type<string[]>().notNull(),
    status: text().$type<columns.RunStatus>().notNull(),
    config: text({ mode: "json" }).$type<columns.RunConfig>().notNull(),
    idempotencyKey: text(),
    /** SHA-256 of the request that created the run under its idempotency key. */
    requestHash: text(),
    sweepId: text().references(() => sweeps.id, { onDelete: "cascade" }),
    trialIndex: integer(),
    repeatIndex: integer(),
    /** A sweep trial's attempt: 0, then one more for each re-run (resume, retry) of the same config and seed. */
    trialAttempt: integer().notNull().default(0),
    /** The run this attempt re-runs (the earlier attempt, kept). */
    retryOf: text(),
    /** The sweep parameters that made this trial's config, and the trials its sampler saw. */
    trial: text({ mode: "json" }),
    attempts: integer().notNull().default(0),
    step: integer().notNull().default(0),
    totalSteps: integer().notNull(),
    lastSeq: integer().notNull().default(0),
    cancelRequested: integer({ mode: "boolean" }).notNull().default(false),
    leaseOwner: text(),
    leaseExpiresAt: integer(),
    testAccuracy: real(),
    testLoss: real(),
    bestValidationAccuracy: real(),
    errorCode: text(),
    errorMessage: text(),
    environment: text({ mode: "json" }).$type<columns.RunEnvironment>(),
    datasetShape: text({ mode: "json" }).$type<columns.DatasetShape>(),
    evaluation: text({ mode: "json" }).$type<columns.TestEvaluation>(),
    msPerStep: real(),
    createdAt: integer().notNull(),
    startedAt: integer(),
    finishedAt: integer(),
  },
  (t) => [
    uniqueIndex("runs_idempotency_key").on(t.idempotencyKey),
    uniqueIndex("runs_sweep_trial").on(t.sweepId, t.trialIndex, t.repeatIndex, t.trialAttempt),
    index("runs_status_created").on(t.status, t.createdAt),
    index("runs_created").on(t.createdAt),
    // A sweep's fingerprint and run versions (sweep-reads.ts), read before every use of its state: from the index
    // alone, not 10,000 table rows (about 4-5 ms to 1-1.5 ms a read at 10,000 trials on
    // SQLite: src/scripts/bench-sweep-reads.ts).
    index("runs_sweep_versions").on(t.sweepId, t.lastSeq, t.createdAt, t.id),
  ],
);

export const runTags = sqliteTable(
  "run_tags",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    tag: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.tag] }), index("run_tags_tag").on(t.tag)],
);

export const runMetrics = sqliteTable(
  "run_metrics",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    step: integer().notNull(),
    kind: text().$type<"step" | "eval">().notNull(),
    loss: real(),
    learningRate: real(),
    msPerStep: real(),
    trainLoss: real(),
    trainAccuracy: real(),
    validationLoss: real(),
    validationAccuracy: real(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.step, t.kind] })],
);

export const runEvents = sqliteTable(
  "run_events",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    type: text().$type<columns.RunEventType>().notNull(),
    data: text({ mode: "json" }).$type<columns.StoredEventData>().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

/** Checkpoints and trained weights, in the database so every worker on every host reaches them. */
export const artifacts = sqliteTable(
  "artifacts",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    kind: text().$type<"checkpoint" | "weights">().notNull(),
    step: integer().notNull(),
    bytes: blob({ mode: "buffer" }).notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.kind] })],
);

export const workers = sqliteTable("workers", {
  id: text().primaryKey(),
  host: text().notNull(),
  pid: integer().notNull(),
  backend: text({ mode: "json" }).$type<columns.BackendInfo>(),
  runId: text(),
  startedAt: integer().notNull(),
  heartbeatAt: integer().notNull(),
});
