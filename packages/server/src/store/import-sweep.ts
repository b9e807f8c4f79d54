// An imported sweep (sweeps/share/): a sweep that ended elsewhere, written in one transaction with its runs as
// they ended, their metrics and their events. No state moves here, so no lifecycle transition applies: the
// sweep arrives ended and every run terminal, which this job insists on, so nothing imported is ever claimed,
// scheduled or resumed by the code that owns those states.
import { type RunStatus, TERMINAL_STATUSES } from "@sweeplab/core";
import type * as tables from "./schema-sqlite.ts";
import type { Job, TableName } from "./statements.ts";
import type { MetricRecord, StoredEvent, SweepRecord } from "./store.ts";
import { getSweep } from "./sweeps.ts";

/**
 * A run row as imported: terminal, without a lease or a pending cancel. Columns with defaults may be left out;
 * a trial repeat's attempt and the run it re-runs are kept where the store records attempts.
 */
export type ImportedRunRow = Omit<
  typeof tables.runs.$inferInsert,
  "idempotencyKey" | "requestHash" | "cancelRequested" | "leaseOwner" | "leaseExpiresAt" | "lastSeq"
> & { status: RunStatus; sweepId: string; trialAttempt?: number; retryOf?: string | null };

export interface ImportedSweep {
  sweep: typeof tables.sweeps.$inferInsert;
  runs: { row: ImportedRunRow; metrics: MetricRecord[]; events: StoredEvent[] }[];
}

/** Rows per insert statement: few enough for either dialect's limit on bound parameters (SQLite's is 32,766). */
const BATCH_ROWS = 500;

function* insertRows(table: TableName, rows: object[]): Job<void> {
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    yield { kind: "insert", table, values: rows.slice(i, i + BATCH_ROWS), returning: false };
  }
}

export function* importSweep(input: ImportedSweep): Job<SweepRecord> {
  const { sweep } = input;
  if (sweep.status === "running") throw new Error(`sweep ${sweep.id}: an imported sweep arrives ended`);
  for (const { row } of input.runs) {
    if (!TERMINAL_STATUSES.includes(row.status) || row.sweepId !== sweep.id)
      throw new Error(`run ${row.id}: an imported run arrives ended, in its sweep`);
  }
  yield* insertRows("sweeps", [sweep]);
  yield* insertRows(
    "runs",
    input.runs.map(({ row, events }) => ({
      ...row,
      cancelRequested: false,
      lastSeq: events.at(-1)?.seq ?? 0,
    })),
  );
  yield* insertRows(
    "runTags",
    input.runs.flatMap(({ row }) => [...new Set(row.tags)].map((tag) => ({ runId: row.id, tag }))),
  );
  yield* insertRows(
    "runMetrics",
    input.runs.flatMap(({ row, metrics }) => metrics.map((m) => ({ runId: row.id, ...m }))),
  );
  yield* insertRows(
    "runEvents",
    input.runs.flatMap(({ row, events }) => events.map((e) => ({ runId: row.id, ...e }))),
  );
  return (yield* getSweep(sweep.id))!;
}
