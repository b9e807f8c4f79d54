// The shared store: PostgreSQL through node-postgres, for several hosts on one queue. Its jobs run with await
// inside a transaction that locks the rows it reads to change (FOR UPDATE); claims and the reaper skip locked rows,
// so concurrent workers never take the same run and never wait on each other; each event's number is assigned
// under a row lock on its run.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { buildStatement, type QueryDb } from "./build-statement.ts";
import * as schema from "./schema-postgres.ts";
import { createSqlStore } from "./sql-store.ts";
import type { Job, Tables } from "./statements.ts";
import type { Store } from "./store.ts";

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "migrations/postgres");
/** Serialises migrations when several processes start at once. */
const MIGRATION_LOCK = 0x5377_6c62;
/** The jobs are typed against the SQLite tables; these have the same keys and columns in PostgreSQL's types. */
const tables = schema as unknown as Tables;

type Db = NodePgDatabase<typeof schema>;

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://…";
  }
}

export async function openPostgresStore(url: string): Promise<Store> {
  // A server that does not answer within 10 s is as good as down (store/errors.ts calls it an outage).
  const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 10_000 });
  // A dropped connection surfaces on the next query; an idle client's error must not crash the process, nor must
  // that of a client checked out between two statements of a transaction (a restart ends it with 57P01).
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzle(pool, { schema, casing: "snake_case" });
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(db, { migrationsFolder: MIGRATIONS });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return createSqlStore({
    dialect: "postgres",
    location: redactUrl(url),
    run<T>(job: Job<T>, mode: "transaction" | "statements") {
      if (mode === "statements") return runJob(db, job);
      return db.transaction((tx) => runJob(tx, job));
    },
    async close() {
      await pool.end();
    },
  });
}

/** Runs a job to its end, awaiting each statement (inside the caller's transaction, if any). */
async function runJob<T>(db: Pick<Db, "select" | "insert" | "update" | "delete">, job: Job<T>): Promise<T> {
  let next = job.next();
  while (!next.done) {
    const { query, returnsRows } = buildStatement(db as unknown as QueryDb, tables, next.value, {
      rowLocks: true,
    });
    const rows = (await query) as unknown as unknown[];
    next = job.next(returnsRows ? rows : []);
  }
  return next.value;
}
