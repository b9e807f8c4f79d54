// Every dialect-specific line lives here: the rest of the server talks to `Database` only.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

export type Database = BetterSQLite3Database<typeof schema> & { close(): void };

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations");

function sqlitePath(url: string): string {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    throw new Error(
      "DATABASE_URL: PostgreSQL is not supported yet (the scale-out work adds it); use a SQLite file",
    );
  }
  return url.replace(/^file:/, "");
}

/** Opens (creating if needed) the store, applies migrations, and tunes SQLite for a busy service. */
export function openDatabase(url: string): Database {
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzle(sqlite, { schema, casing: "snake_case" });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return Object.assign(db, { close: () => sqlite.close() });
}
