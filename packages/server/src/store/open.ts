import { openPostgresStore } from "./postgres.ts";
import { openSqliteStore } from "./sqlite.ts";
import type { Store } from "./store.ts";

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** Opens the store a URL names: `postgres://…` for PostgreSQL, else a SQLite file (`file:` prefix optional). */
export async function openStore(url: string): Promise<Store> {
  return isPostgresUrl(url) ? openPostgresStore(url) : openSqliteStore(url);
}
