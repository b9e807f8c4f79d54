// Turns a statement (statements.ts) into the dialect's drizzle query. Both dialects' query builders have the same
// methods under different types, so this one function builds for either through the small structural view below;
// the driver then runs the query its own way (sync `.all()`/`.run()` for SQLite, `await` for PostgreSQL).
import type { Statement, Tables } from "./statements.ts";

/** The part of drizzle's query builders this file calls, common to both dialects. */
export interface QueryBuilder {
  from(table: unknown): QueryBuilder;
  where(condition: unknown): QueryBuilder;
  groupBy(...columns: unknown[]): QueryBuilder;
  orderBy(...columns: unknown[]): QueryBuilder;
  limit(n: number): QueryBuilder;
  for(strength: "update", options: { skipLocked?: boolean }): QueryBuilder;
  values(values: object): QueryBuilder;
  set(values: object): QueryBuilder;
  onConflictDoUpdate(config: { target: unknown[]; set: object }): QueryBuilder;
  onConflictDoNothing(config: { target: unknown[] }): QueryBuilder;
  returning(): QueryBuilder;
}
export interface QueryDb {
  select(columns?: object): QueryBuilder;
  insert(table: unknown): QueryBuilder;
  update(table: unknown): QueryBuilder;
  delete(table: unknown): QueryBuilder;
}

/** The query, and whether it returns rows (a select, or a write with `returning`). */
export function buildStatement(
  db: QueryDb,
  tables: Tables,
  s: Statement,
  options: { rowLocks: boolean },
): { query: QueryBuilder; returnsRows: boolean } {
  const table = tables[s.table];
  switch (s.kind) {
    case "select": {
      let query = (s.columns ? db.select(s.columns(tables)) : db.select())
        .from(table)
        .where(s.where?.(tables))
        .groupBy(...(s.groupBy?.(tables) ?? []))
        .orderBy(...(s.orderBy?.(tables) ?? []));
      if (s.limit !== undefined) query = query.limit(s.limit);
      if (s.lock && options.rowLocks) query = query.for("update", { skipLocked: s.lock === "skip-locked" });
      return { query, returnsRows: true };
    }
    case "insert": {
      let query = db.insert(table).values(s.values);
      if (s.conflict) {
        const target = s.conflict.target(tables);
        const { set } = s.conflict;
        query = set ? query.onConflictDoUpdate({ target, set }) : query.onConflictDoNothing({ target });
      }
      return { query: s.returning ? query.returning() : query, returnsRows: s.returning };
    }
    case "update": {
      const query = db.update(table).set(s.set).where(s.where(tables));
      return { query: s.returning ? query.returning() : query, returnsRows: s.returning };
    }
    case "delete":
      return { query: db.delete(table).where(s.where(tables)), returnsRows: false };
  }
}
