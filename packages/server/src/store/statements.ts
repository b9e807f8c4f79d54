// The store's jobs are written once, as generators that yield statements and get their results back; each dialect
// runs them: sqlite.ts synchronously inside a better-sqlite3 transaction, postgres.ts with await inside a
// node-postgres one. This file is the small vocabulary between the two: select, insert, update, delete.
// Conditions are drizzle SQL built from the dialect's own tables, handed to a statement as a function of them.
import type { Column, SQL } from "drizzle-orm";
import type * as schema from "./schema-sqlite.ts";

export type TableName = "runs" | "runTags" | "runMetrics" | "runEvents" | "artifacts" | "workers" | "sweeps";
/**
 * The tables as the jobs see them. Both schemas have the same keys and columns; the jobs are typed against the
 * SQLite one (as the records in store.ts are), and postgres.ts hands in its own tables in its place.
 */
export type Tables = Pick<typeof schema, TableName>;
type Row<K extends TableName> = Tables[K]["$inferSelect"];
type Insert<K extends TableName> = Tables[K]["$inferInsert"];
type Of<T> = (t: Tables) => T;

/** A selection of columns (or aggregates) and the row type it reads. */
type Selection = Record<string, Column | SQL>;
type Picked<S extends Selection> = {
  [K in keyof S]: S[K] extends SQL<infer U>
    ? U
    : S[K] extends Column
      ? S[K]["_"]["notNull"] extends true
        ? S[K]["_"]["data"]
        : S[K]["_"]["data"] | null
      : never;
};

export interface SelectStatement {
  kind: "select";
  table: TableName;
  columns?: Of<Selection>;
  where?: Of<SQL | undefined>;
  orderBy?: Of<(Column | SQL)[]>;
  groupBy?: Of<Column[]>;
  limit?: number;
  /**
   * Row locks for a transaction (PostgreSQL `FOR UPDATE`, optionally `SKIP LOCKED`). SQLite has none to take:
   * its transactions begin IMMEDIATE, holding the database's one write lock.
   */
  lock?: "wait" | "skip-locked";
}
export interface InsertStatement {
  kind: "insert";
  table: TableName;
  values: object;
  /** On a conflict over `target`: update with `set`, or (without it) insert nothing. */
  conflict?: { target: Of<Column[]>; set?: object };
  returning: boolean;
}
export interface UpdateStatement {
  kind: "update";
  table: TableName;
  set: object;
  where: Of<SQL | undefined>;
  returning: boolean;
}
export interface DeleteStatement {
  kind: "delete";
  table: TableName;
  where: Of<SQL | undefined>;
}
export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement;

/** A store job: yields statements, receives each one's rows (an empty list for statements without any). */
export type Job<T> = Generator<Statement, T, unknown>;

type SelectOptions = Omit<SelectStatement, "kind" | "table" | "columns">;

/** The rows of a table (all columns) that match. */
export function* select<K extends TableName>(table: K, options: SelectOptions = {}): Job<Row<K>[]> {
  return (yield { kind: "select", table, ...options }) as Row<K>[];
}

/** The first row that matches, if any. */
export function* first<K extends TableName>(table: K, options: SelectOptions = {}): Job<Row<K> | undefined> {
  return (yield* select(table, { ...options, limit: 1 }))[0];
}

/** Chosen columns (or aggregates) of the rows that match. */
export function* pick<S extends Selection>(
  table: TableName,
  columns: Of<S>,
  options: SelectOptions = {},
): Job<Picked<S>[]> {
  return (yield { kind: "select", table, columns, ...options }) as Picked<S>[];
}

/** Inserts a row (on a conflict, updates it or skips it) and returns what was written: nothing when skipped. */
export function* insertReturning<K extends TableName>(
  table: K,
  values: Insert<K>,
  conflict?: { target: Of<Column[]>; set?: Partial<Insert<K>> },
): Job<Row<K>[]> {
  return (yield { kind: "insert", table, values, conflict, returning: true }) as Row<K>[];
}

/** Inserts a row (on a conflict, updates it or skips it). */
export function* insert<K extends TableName>(
  table: K,
  values: Insert<K>,
  conflict?: { target: Of<Column[]>; set?: Partial<Insert<K>> },
): Job<void> {
  yield { kind: "insert", table, values, conflict, returning: false };
}

/** Updates the rows that match and returns them. */
export function* updateReturning<K extends TableName>(
  table: K,
  set: Partial<Insert<K>>,
  where: Of<SQL | undefined>,
): Job<Row<K>[]> {
  return (yield { kind: "update", table, set, where, returning: true }) as Row<K>[];
}

/** Updates the rows that match. */
export function* update<K extends TableName>(
  table: K,
  set: Partial<Insert<K>>,
  where: Of<SQL | undefined>,
): Job<void> {
  yield { kind: "update", table, set, where, returning: false };
}

/** Deletes the rows that match. */
export function* deleteWhere(table: TableName, where: Of<SQL | undefined>): Job<void> {
  yield { kind: "delete", table, where };
}
