import type { RunConfig, RunEvent, RunStatus, TestEvaluation } from "@sweeplab/core";
import type { StoredEventData } from "./column-types.ts";
import type { ImportedSweep } from "./import-sweep.ts";
import type * as tables from "./schema-sqlite.ts";
import type { SweepReopen } from "./sweep-lifecycle.ts";
import type { SweepRunsFingerprint } from "./sweep-reads.ts";

export type { StoredEventData, SweepStatus } from "./column-types.ts";
export type { ImportedRunRow, ImportedSweep } from "./import-sweep.ts";
export type { SweepReopen } from "./sweep-lifecycle.ts";
export type { SweepRunsFingerprint } from "./sweep-reads.ts";

/** A run as the store holds it (the same shape from either dialect). */
export type RunRecord = typeof tables.runs.$inferSelect;
export type SweepRecord = typeof tables.sweeps.$inferSelect;
export type WorkerRecord = typeof tables.workers.$inferSelect;
/** A worker as it registers itself (fields it leaves out stay as they were). */
export type NewWorker = Omit<typeof tables.workers.$inferInsert, "heartbeatAt">;
export type MetricRecord = Omit<typeof tables.runMetrics.$inferSelect, "runId">;
/** The columns of a sweep's run that its trial row, leaderboard and scheduler read (no config, no lease). */
export type SweepRunRow = Pick<
  RunRecord,
  | "id"
  | "status"
  | "trialIndex"
  | "repeatIndex"
  | "trialAttempt"
  | "retryOf"
  | "trial"
  | "step"
  | "totalSteps"
  | "lastSeq"
  | "msPerStep"
  | "testAccuracy"
  | "errorCode"
  | "errorMessage"
  | "startedAt"
  | "finishedAt"
>;
/** Rows written as they are, in one transaction: a sweep with its runs, their events and metrics. */
export interface SweepRecords {
  sweep: typeof tables.sweeps.$inferInsert;
  runs: (typeof tables.runs.$inferInsert)[];
  events: (typeof tables.runEvents.$inferInsert)[];
  metrics: (typeof tables.runMetrics.$inferInsert)[];
}

/** An event as stored and streamed: numbered per run, from 1, without gaps. */
export interface StoredEvent {
  seq: number;
  type: RunEvent["type"];
  data: StoredEventData;
  createdAt: number;
}

export interface NewRun {
  id: string;
  name: string | null;
  tags: string[];
  /** The RunConfig after defaults. */
  config: RunConfig;
  totalSteps: number;
  idempotencyKey?: string;
  /** Identifies the request body under its idempotency key: a different body under the same key is refused. */
  requestHash?: string;
  sweep?: {
    sweepId: string;
    trialIndex: number;
    repeatIndex: number;
    trial: unknown;
    /** Which attempt of the trial (default 0); a re-run names the run it re-runs in `retryOf`. */
    attempt?: number;
    retryOf?: string;
  };
}

export interface RunQuery {
  status?: RunStatus;
  tag?: string;
  sweepId?: string;
  sort: "created" | "testAccuracy";
  limit: number;
  /** The sort value and id of the last row of the previous page. */
  after?: { v: number; id: string };
}

/** A run handed to a worker: its lease is held until `leaseExpiresAt` unless renewed. */
export interface Claim {
  run: RunRecord;
  checkpoint?: { step: number; bytes: Buffer };
}

/** Extra row fields a terminal event carries that clients read from the run, not from the event. */
export interface EventExtras {
  evaluation?: TestEvaluation;
}

/** What a worker learns each time it writes: whether it still holds the run and whether to stop. */
export interface LeaseState {
  owned: boolean;
  cancelRequested: boolean;
}

/** How a sweep ends (sweep-lifecycle.ts): complete (or stopped by its budget, with the reason), given up on (too many failures, a trial that can never run), or on request. */
export type SweepEnd =
  | { status: "succeeded"; reason?: string }
  | { status: "failed"; reason: string }
  | { status: "canceled"; reason: string };

export interface NewSweep {
  id: string;
  name: string | null;
  spec: unknown;
}

/**
 * Persistence for runs, their events, metrics and artifacts, sweeps and workers. Async, so SQLite and PostgreSQL
 * implement it alike; every multi-statement change is one transaction; event numbers are assigned inside the
 * transaction that stores the event. Routes, workers and schedulers call this; only its implementations hold SQL.
 */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  /** Where the data lives, for messages (a file path, or the database URL without its password). */
  readonly location: string;

  /** Inserts a queued run and its `queued` event; with a known idempotency key returns the existing run. */
  createRun(run: NewRun): Promise<{ run: RunRecord; created: boolean }>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** The run created under an idempotency key, if any (admission lets a replay through a full queue). */
  getRunByIdempotencyKey(key: string): Promise<RunRecord | undefined>;
  listRuns(query: RunQuery): Promise<RunRecord[]>;
  countRunsByStatus(): Promise<Record<RunStatus, number>>;
  /** Deletes a run with its events, metrics and artifacts. */
  deleteRun(id: string): Promise<void>;

  /**
   * Cancels a queued run at once (`canceled` event); marks a running one `cancelRequested`, which its worker
   * honours at its next step and which a requeue after the worker's death turns into `canceled`.
   */
  requestCancel(id: string, reason: string): Promise<RunRecord>;

  /**
   * Appends a run's event through the lifecycle (lifecycle.ts decides the status change and the row updates).
   * With `owner`, the write happens only while that worker holds the run's lease (renewing it); otherwise the
   * event is dropped and `owned` is false, so a worker presumed dead can never write into a run taken over.
   */
  appendEvent(
    runId: string,
    event: RunEvent,
    options?: { owner?: string; leaseMs?: number; extras?: EventExtras },
  ): Promise<LeaseState & { seq?: number }>;
  eventsAfter(runId: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** A run's metric rows in step order, after `afterStep` (default all), at most `limit` (default all). */
  metrics(runId: string, page?: { afterStep?: number; limit?: number }): Promise<MetricRecord[]>;

  /** Atomically takes the oldest queued run (not cancel-requested) for a worker, with a lease, or nothing. */
  claimRun(worker: { id: string; host: string }, leaseMs: number): Promise<Claim | undefined>;
  /**
   * Atomically takes one named run for a worker, with a lease, if it is still queued, not cancel-requested and has
   * no checkpoint to resume from; otherwise (another worker took it first, it ended, it would resume) nothing.
   * A worker that claimed a sweep trial takes compatible siblings this way to train them as one batched group.
   */
  claimQueuedRun(
    worker: { id: string; host: string },
    runId: string,
    leaseMs: number,
  ): Promise<RunRecord | undefined>;
  /** Renews a lease; says whether it is still held and whether cancel was requested. */
  renewLease(runId: string, owner: string, leaseMs: number): Promise<LeaseState>;
  /** A worker that stops politely hands its run back: queued again, no attempt spent. */
  releaseRun(runId: string, owner: string, reason: string): Promise<void>;
  /**
   * Runs whose lease expired (their worker died or lost its database) go back to the queue, spending an
   * attempt, or fail after `maxAttempts`; cancel-requested ones end canceled. Returns the ids it moved.
   */
  requeueExpired(maxAttempts: number): Promise<string[]>;

  putArtifact(runId: string, kind: "checkpoint" | "weights", step: number, bytes: Buffer): Promise<void>;
  getArtifact(
    runId: string,
    kind: "checkpoint" | "weights",
  ): Promise<{ step: number; bytes: Buffer } | undefined>;

  upsertWorker(worker: NewWorker): Promise<void>;
  listWorkers(): Promise<WorkerRecord[]>;
  removeWorker(id: string): Promise<void>;

  createSweep(sweep: NewSweep): Promise<SweepRecord>;
  getSweep(id: string): Promise<SweepRecord | undefined>;
  listSweeps(limit: number): Promise<SweepRecord[]>;
  /** Running sweeps by id, after `afterId` (a page of the scheduler's pass over every one of them). */
  listRunningSweeps(afterId: string | undefined, limit: number): Promise<SweepRecord[]>;
  /**
   * Ends a running sweep (`succeeded`, or `failed` / `canceled` with a reason) through sweep-lifecycle.ts, once:
   * returns the ended sweep, or nothing when it had ended already (or does not exist).
   */
  endSweep(id: string, end: SweepEnd): Promise<SweepRecord | undefined>;
  /**
   * Sets a sweep running again, or changes a running one (resume, retry, extend) through sweep-lifecycle.ts, in
   * one transaction; throws StoreConflictError where the sweep cannot take it; undefined for no such sweep.
   */
  reopenSweep(id: string, request: SweepReopen): Promise<SweepRecord | undefined>;
  /** Every run of a sweep (every attempt), by trial, repeat index and attempt. */
  sweepRuns(sweepId: string): Promise<RunRecord[]>;
  /** Eval metrics of all of a sweep's runs (for early stopping and plots). */
  sweepMetrics(sweepId: string): Promise<(MetricRecord & { runId: string })[]>;
  /** Changes with every write to the sweep's runs (sweep-reads.ts): a cache of them checks it before it is used. */
  sweepRunsFingerprint(sweepId: string): Promise<SweepRunsFingerprint>;
  /** Each run of the sweep with its event number, which rises with every change to the run. */
  sweepRunVersions(sweepId: string): Promise<{ id: string; lastSeq: number }[]>;
  /** The trial-row columns of the named runs of a sweep. */
  sweepRunRows(sweepId: string, runIds: readonly string[]): Promise<SweepRunRow[]>;
  /** The config and environment of the named runs of a sweep (a multi-objective sweep's succeeded runs). */
  sweepRunObjectiveInputs(
    sweepId: string,
    runIds: readonly string[],
  ): Promise<Pick<RunRecord, "id" | "config" | "environment">[]>;
  /** Each named run's last evaluation. */
  lastEvals(
    runIds: readonly string[],
  ): Promise<
    { runId: string; step: number; validationAccuracy: number | null; validationLoss: number | null }[]
  >;
  /** The validation-accuracy curves of the named runs, each in step order. */
  evalCurves(
    runIds: readonly string[],
  ): Promise<{ runId: string; step: number; validationAccuracy: number | null }[]>;
  /** Runs by status of each named sweep. */
  sweepStatusCounts(
    sweepIds: readonly string[],
  ): Promise<{ sweepId: string | null; status: string; n: number }[]>;
  /** Inserts a whole sweep as given (fixtures, benchmarks), in one transaction, many rows per statement. */
  insertSweepRecords(records: SweepRecords): Promise<void>;
  /**
   * Writes a sweep exported elsewhere (sweeps/share/), ended, with its runs as they ended, their metrics and
   * events, in one transaction (import-sweep.ts): all of it or nothing.
   */
  importSweep(sweep: ImportedSweep): Promise<SweepRecord>;

  close(): Promise<void>;
}

/** A store-level refusal that the API turns into a problem (the lifecycle's and the idempotency key's). */
export class StoreConflictError extends Error {
  override readonly name = "StoreConflictError";
  constructor(
    readonly code:
      | "RUN_FINISHED"
      | "IDEMPOTENCY_KEY_REUSED"
      | "INVALID_TRANSITION"
      | "SWEEP_ACTIVE"
      | "SWEEP_STOPPING",
    message: string,
  ) {
    super(message);
  }
}
