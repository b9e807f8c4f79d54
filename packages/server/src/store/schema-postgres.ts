// The store's tables for PostgreSQL: the same tables, columns and indexes as schema-sqlite.ts, in PostgreSQL's
// types (jsonb, bytea, double precision, bigint epoch milliseconds).
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type * as columns from "./column-types.ts";

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });
const millis = () => bigint({ mode: "number" });

export const sweeps = pgTable("sweeps", {
  id: text().primaryKey(),
  name: text(),
  status: text().$type<columns.SweepStatus>().notNull(),
  spec: jsonb().notNull(),
  stopReason: text(),
  createdAt: millis().notNull(),
  finishedAt: millis(),
  /** When the sweep last started running (created, resumed or reopened): a wall-clock budget counts from it. */
  startedAt: millis(),
  /** The last resume: trials whose latest attempt ended canceled by then are run again. */
  resumedAt: millis(),
  /** The last retry request: trials whose latest attempt ended failed or diverged by then are run again. */
  retryAt: millis(),
});

export const runs = pgTable(
  "runs",
  {
    id: text().primaryKey(),
    name: text(),
    tags: jsonb().$type<string[]>().notNull(),
    status: text().$type<columns.RunStatus>().notNull(),
    config: jsonb().$type<columns.RunConfig>().notNull(),
    idempotencyKey: text(),
    requestHash: text(),
    sweepId: text().references(() => sweeps.id, { onDelete: "cascade" }),
    trialIndex: integer(),
    repeatIndex: integer(),
    /** A sweep trial's attempt: 0, then one more for each re-run (resume, retry) of the same config and seed. */
    trialAttempt: integer().notNull().default(0),
    /** The run this attempt re-runs (the earlier attempt, kept). */
    retryOf: text(),
    trial: jsonb(),
    attempts: integer().notNull().default(0),
    step: integer().notNull().default(0),
    totalSteps: integer().notNull(),
    lastSeq: integer().notNull().default(0),
    cancelRequested: boolean().notNull().default(false),
    leaseOwner: text(),
    leaseExpiresAt: millis(),
    testAccuracy: doublePrecision(),
    testLoss: doublePrecision(),
    bestValidationAccuracy: doublePrecision(),
    errorCode: text(),
    errorMessage: text(),
    environment: jsonb().$type<columns.RunEnvironment>(),
    datasetShape: jsonb().$type<columns.DatasetShape>(),
    evaluation: jsonb().$type<columns.TestEvaluation>(),
    msPerStep: doublePrecision(),
    createdAt: millis().notNull(),
    startedAt: millis(),
    finishedAt: millis(),
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

export const runTags = pgTable(
  "run_tags",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    tag: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.tag] }), index("run_tags_tag").on(t.tag)],
);

export const runMetrics = pgTable(
  "run_metrics",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    step: integer().notNull(),
    kind: text().$type<"step" | "eval">().notNull(),
    loss: doublePrecision(),
    learningRate: doublePrecision(),
    msPerStep: doublePrecision(),
    trainLoss: doublePrecision(),
    trainAccuracy: doublePrecision(),
    validationLoss: doublePrecision(),
    validationAccuracy: doublePrecision(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.step, t.kind] })],
);

export const runEvents = pgTable(
  "run_events",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    type: text().$type<columns.RunEventType>().notNull(),
    data: jsonb().$type<columns.StoredEventData>().notNull(),
    createdAt: millis().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

export const artifacts = pgTable(
  "artifacts",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    kind: text().$type<"checkpoint" | "weights">().notNull(),
    step: integer().notNull(),
    bytes: bytea().notNull(),
    createdAt: millis().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.kind] })],
);

export const workers = pgTable("workers", {
  id: text().primaryKey(),
  host: text().notNull(),
  pid: integer().notNull(),
  backend: jsonb().$type<columns.BackendInfo>(),
  runId: text(),
  startedAt: millis().notNull(),
  heartbeatAt: millis().notNull(),
});
