import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../log.ts";
import type { Store } from "../store/store.ts";
import { createTestApp } from "../test-app.ts";
import { Worker } from "./worker.ts";

const RUN = {
  model: { kind: "mlp", depth: 1, width: 32 },
  steps: 120,
  batchSize: 64,
  logEverySteps: 20,
  evalEverySteps: 60,
  validationSize: 500,
};

/** The store, except that its first write of a `step` event fails, as a full disk or a busy database would. */
function failingOnce(store: Store): { store: Store; failures: () => number } {
  let failures = 0;
  const wrapped = new Proxy(store, {
    get(target, key, receiver) {
      if (key === "appendEvent") {
        return (async (...args: Parameters<Store["appendEvent"]>) => {
          if (args[1].type === "step" && failures === 0) {
            failures += 1;
            throw new Error("SQLITE_FULL: database or disk is full");
          }
          return target.appendEvent(...args);
        }) satisfies Store["appendEvent"];
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: wrapped, failures: () => failures };
}

describe("a worker", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it("rides out a store that throws once while it records an event: the API stays up and the run completes", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    const { store, failures } = failingOnce(deps.store);
    const worker = new Worker({
      store,
      id: "w-test",
      host: "test",
      backend: "auto",
      leaseMs: 10_000,
      pollMs: 50,
      checkpointEverySteps: 0,
      maxRunAttempts: 3,
      log: createLogger("test", "silent"),
    });
    const running = worker.run();
    const created = await app.request("/v1/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ config: RUN }),
    });
    const { id } = (await created.json()) as { id: string };
    let run = await deps.store.getRun(id);
    for (let i = 0; i < 600 && run?.status !== "succeeded"; i++) {
      await sleep(100);
      expect((await app.request("/healthz")).status).toBe(200);
      run = await deps.store.getRun(id);
    }
    worker.stop();
    await running;
    expect(failures()).toBe(1);
    expect(run).toMatchObject({ status: "succeeded", step: 120, attempts: 1 });
    const events = await deps.store.eventsAfter(id, 0, 100);
    expect(events.filter((e) => e.type === "step").map((e) => (e.data as { step: number }).step)).toEqual([
      20, 40, 60, 80, 100, 120,
    ]);
  }, 120_000);

  it("ends a run whose checkpoint cannot be read as failed, with the cause, instead of retrying it", async () => {
    const { deps, close } = await createTestApp();
    closers.push(close);
    const { run } = await deps.runs.submit({ config: RUN });
    await deps.store.claimRun({ id: "w-old", host: "test" }, 10_000);
    await deps.store.putArtifact(run.id, "checkpoint", 60, Buffer.from("not a checkpoint"));
    await deps.store.releaseRun(run.id, "w-old", "test");
    const worker = new Worker({
      store: deps.store,
      id: "w-test",
      host: "test",
      backend: "auto",
      leaseMs: 10_000,
      pollMs: 50,
      checkpointEverySteps: 0,
      maxRunAttempts: 3,
      log: createLogger("test", "silent"),
    });
    const running = worker.run();
    let row = await deps.store.getRun(run.id);
    for (let i = 0; i < 300 && row?.status !== "failed"; i++) {
      await sleep(100);
      row = await deps.store.getRun(run.id);
    }
    worker.stop();
    await running;
    expect(row).toMatchObject({ status: "failed", errorCode: "INTERNAL" });
    expect(row?.errorMessage).toMatch(/cannot resume: stored tensors are corrupt/);
  }, 60_000);
});
