import { parseRunConfig } from "@sweeplab/core";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../log.ts";
import { createSqliteDatabase } from "../test-support/databases.ts";
import { openStore } from "./open.ts";
import { OutageWatch, watchOutages } from "./outages.ts";
import { reapExpiredLeases } from "./reap-expired.ts";
import type { Store } from "./store.ts";

const refused = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
const quiet = { warn: () => {} } as unknown as Logger;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("after a store outage", () => {
  it("judges no expired lease for a lease and a reaper period, then requeues as before", async () => {
    const db = createSqliteDatabase();
    const store = await openStore(db.url);
    closers.push(async () => {
      await store.close();
      await db.drop();
    });
    await store.createRun({
      id: "r1",
      name: null,
      tags: [],
      config: parseRunConfig({ steps: 10 }),
      totalSteps: 10,
    });
    await store.claimRun({ id: "w1", host: "h" }, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    let now = 1_000_000;
    const watch = new OutageWatch(3000, () => now);

    expect(watch.note(new Error("duplicate key"))).toBe(false);
    expect(watch.mayJudgeLeases).toBe(true);
    expect(watch.note(refused())).toBe(true);
    expect(watch.recentProblem).toContain("ECONNREFUSED");
    now += 2999;
    expect(await reapExpiredLeases(store, 3, quiet, watch)).toEqual([]);
    expect(await store.getRun("r1")).toMatchObject({ status: "running", attempts: 1 });
    now += 1;
    expect(watch.recentProblem).toBeUndefined();
    expect(await reapExpiredLeases(store, 3, quiet, watch)).toEqual(["r1"]);
    expect(await store.getRun("r1")).toMatchObject({ status: "queued" });
  });

  it("sees every failed call of a watched store, and passes results and errors through", async () => {
    let now = 0;
    const watch = new OutageWatch(1000, () => now);
    const fake = {
      dialect: "sqlite",
      getRun: async () => {
        throw refused();
      },
      listWorkers: async () => [],
    } as unknown as Store;
    const store = watchOutages(fake, watch);
    expect(await store.listWorkers()).toEqual([]);
    expect(store.dialect).toBe("sqlite");
    expect(watch.mayJudgeLeases).toBe(true);
    await expect(store.getRun("x")).rejects.toThrow("ECONNREFUSED");
    expect(watch.mayJudgeLeases).toBe(false);
    now = 1000;
    expect(watch.mayJudgeLeases).toBe(true);
  });
});
