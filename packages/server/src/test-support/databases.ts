// Real databases for tests: a SQLite file in a temporary folder, or a fresh PostgreSQL database created on the
// server TEST_DATABASE_URL names (and dropped afterwards). `.ci/run` starts PostgreSQL and sets that variable.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), "sweeplab-store-"));
  return {
    url: `file:${join(dir, "store.sqlite")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function createPostgresDatabase(adminUrl = TEST_DATABASE_URL): Promise<TestDatabase> {
  if (!adminUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `sweeplab_test_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** The dialects tests run on here: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DIALECTS = [
  { dialect: "sqlite" as const, create: async () => createSqliteDatabase() },
  ...(TEST_DATABASE_URL ? [{ dialect: "postgres" as const, create: () => createPostgresDatabase() }] : []),
];
