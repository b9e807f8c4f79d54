import { parseRunConfig } from "@sweeplab/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "../log.ts";
import { createSqliteDatabase } from "../test-support/databases.ts";
import { openStore } from "./open.ts";
import { reapExpiredLeases } from "./reap-expired.ts";

describe("reapExpiredLeases", () => {
  const db = createSqliteDatabase();
  afterEach(() => db.drop());

  it("requeues the runs whose lease ran out, names them in one warning, and is quiet when there are none", async () => {
    const store = await openStore(db.url);
    const log = { warn: vi.fn() } as unknown as Logger;
    const config = parseRunConfig({ steps: 10 });
    const { run } = await store.createRun({ id: "r1", name: null, tags: [], config, totalSteps: 10 });
    await store.createRun({ id: "r2", name: null, tags: [], config, totalSteps: 10 });
    await store.claimRun({ id: "w1", host: "h" }, 1);
    await store.claimRun({ id: "w2", host: "h" }, 60_000);
    await new Promise((r) => setTimeout(r, 10));
    expect(await reapExpiredLeases(store, 3, log)).toEqual([run.id]);
    expect(log.warn).toHaveBeenCalledExactlyOnceWith({ runIds: [run.id] }, expect.any(String));
    expect(await store.getRun(run.id)).toMatchObject({ status: "queued" });
    expect(await reapExpiredLeases(store, 3, log)).toEqual([]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    await store.close();
  });
});
