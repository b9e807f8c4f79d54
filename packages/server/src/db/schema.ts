import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const RUN_STATUSES = ["queued", "running", "succeeded", "failed", "canceled", "diverged"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "canceled", "diverged"];

export const sweeps = sqliteTable("sweeps", {
  id: text().primaryKey(),
  name: text(),
  status: text().notNull(),
  /** The search space and sampler settings, as the sweeps API will define them. */
  spec: text({ mode: "json" }).notNull(),
  createdAt: integer().notNull(),
});

export const runs = sqliteTable(
  "runs",
  {
    id: text().primaryKey(),
    name: text(),
    tags: text({ mode: "json" }).$type<string[]>().notNull(),
    status: text().$type<RunStatus>().notNull(),
    /** The RunConfig after defaults. */
    config: text({ mode: "json" }).notNull(),
    idempotencyKey: text(),
    sweepId: text().references(() => sweeps.id),
    attempts: integer().notNull().default(0),
    step: integer().notNull().default(0),
    totalSteps: integer().notNull(),
    testAccuracy: real(),
    testLoss: real(),
    errorCode: text(),
    errorMessage: text(),
    /** Backend, devices and versions the run trained with (from its started event). */
    environment: text({ mode: "json" }),
    /** Input shape and normalisation (from its started event). */
    datasetShape: text({ mode: "json" }),
    /** Confusion matrix and per-class accuracy on the test set. */
    evaluation: text({ mode: "json" }),
    msPerStep: real(),
    createdAt: integer().notNull(),
    startedAt: integer(),
    finishedAt: integer(),
  },
  (t) => [
    uniqueIndex("runs_idempotency_key").on(t.idempotencyKey),
    index("runs_status_created").on(t.status, t.createdAt),
    index("runs_sweep").on(t.sweepId),
  ],
);

/** One row per step event and per eval event; the metrics history merges them by step. */
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

/** Every event a run emitted, numbered, for server-sent-event replay after Last-Event-ID. */
export const runEvents = sqliteTable(
  "run_events",
  {
    runId: text()
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    type: text().notNull(),
    data: text({ mode: "json" }).notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

export const checkpoints = sqliteTable("checkpoints", {
  runId: text()
    .primaryKey()
    .references(() => runs.id, { onDelete: "cascade" }),
  step: integer().notNull(),
  path: text().notNull(),
  createdAt: integer().notNull(),
});

export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;
