import { afterEach } from "vitest";
import { createTestApp } from "../test-app.ts";
import type { TestDatabase } from "./databases.ts";

/**
 * For a `describe.each(DIALECTS)` block: `open(env)` makes a test app on a fresh database of the block's dialect,
 * and every app and database it made is closed and dropped after each test.
 */
export function useDialectApps(create: () => Promise<TestDatabase>) {
  const opened: { close(): Promise<void>; db: TestDatabase }[] = [];
  afterEach(async () => {
    for (const { close, db } of opened.splice(0)) {
      await close();
      await db.drop();
    }
  });
  return async function open(env: Record<string, string> = {}) {
    const db = await create();
    const test = await createTestApp({ DATABASE_URL: db.url, ...env });
    opened.push({ close: test.close, db });
    return test;
  };
}
