// Many rows per statement, in one transaction: a whole sweep written as given (the 10,000-trial fixture). Each
// statement stays under SQLite's and PostgreSQL's limits on bound parameters (32,766 and 65,535).
import type { Job, TableName } from "./statements.ts";
import type { SweepRecords } from "./store.ts";

const MAX_PARAMETERS = 30_000;

function* insertMany(table: TableName, rows: readonly object[]): Job<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).length;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  for (let i = 0; i < rows.length; i += perStatement) {
    yield { kind: "insert", table, values: rows.slice(i, i + perStatement), returning: false };
  }
}

export function* insertSweepRecords(records: SweepRecords): Job<void> {
  yield* insertMany("sweeps", [records.sweep]);
  yield* insertMany("runs", records.runs);
  yield* insertMany("runEvents", records.events);
  yield* insertMany("runMetrics", records.metrics);
}
