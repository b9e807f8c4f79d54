// The embedded store: one SQLite file (WAL) shared by the API process and its local worker processes. Its jobs run
// synchronously: a transaction is BEGIN IMMEDIATE, which takes the one write lock first, so two processes never
// interleave a read-then-write (two claims, two requests with one idempotency key).
import { chmodSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { buildStatement, type QueryBuilder, type QueryDb } from "./build-statement.ts";
import * as schema from "./schema-sqlite.ts";
import { createSqlStore } from "./sql-store.ts";
import type { Job } from "./statements.ts";
import type { Store } from "./store.ts";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations/sqlite");

type Db = BetterSQLite3Database<typeof schema>;
/** What better-sqlite3's drizzle queries add to the shared builder view: synchronous execution. */
type SyncQuery = QueryBuilder & { all(): unknown[]; run(): unknown };

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
  return createSqlStore({
    dialect: "sqlite",
    location: path,
    async run<T>(job: Job<T>, mode: "transaction" | "statements") {
      if (mode === "statements") return runJob(db, job);
      return db.transaction((tx) => runJob(tx, job), { behavior: "immediate" });
    },
    async close() {
      sqlite.close();
    },
  });
}

/** Runs a job to its end, each statement synchronously (inside the caller's transaction, if any). */
function runJob<T>(db: Db, job: Job<T>): T {
  let next = job.next();
  while (!next.done) {
    const { query, returnsRows } = buildStatement(db as unknown as QueryDb, schema, next.value, {
      rowLocks: false,
    });
    const sync = query as SyncQuery;
    if (returnsRows) next = job.next(sync.all());
    else {
      sync.run();
      next = job.next([]);
    }
  }
  return next.value;
}
