import type { RunEvent } from "@sweeplab/core";
import { describe, expect, it, vi } from "vitest";
import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import { DIALECTS } from "../test-support/databases.ts";
import { useDialectApps } from "../test-support/dialect-apps.ts";
import { testSweepSpec } from "../test-support/sweep-spec.ts";
import { signalRunEnds } from "./run-end-signal.ts";
import { SweepScheduler } from "./scheduler.ts";

const spec = testSweepSpec;

const canceled: RunEvent = { type: "canceled", step: 0, reason: "test" };

/** Ends a queued run the way a worker does: it claims it, then writes its terminal event (through `store`). */
async function endRun(store: Store, runId: string, beforeEnd: () => void = () => {}): Promise<void> {
  const run = await store.claimQueuedRun({ id: "w", host: "h" }, runId, 60_000);
  expect(run?.id).toBe(runId);
  const owner = { owner: "w", leaseMs: 60_000 };
  beforeEnd();
  await store.appendEvent(runId, canceled, owner);
}

const quietLog = () =>
  ({ error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() }) as unknown as Logger & {
    error: ReturnType<typeof vi.fn>;
  };

describe.each(DIALECTS)("sweep scheduler on $dialect", ({ create }) => {
  const open = useDialectApps(create);
  const trialsOf = async (store: Store, sweepId: string) =>
    (await store.sweepRuns(sweepId)).map((r) => [r.trialIndex, r.status]);

  it("proposes the next trial as soon as a worker stores a trial's end, without waiting for a poll", async () => {
    const { deps } = await open();
    await deps.store.createSweep({ id: "swp_react", name: null, spec: spec({ trials: 3 }) });
    await deps.sweeps.tick();
    const [first] = await deps.store.sweepRuns("swp_react");
    // The store as a local worker holds it: its terminal event reaches the scheduler (no timer is running here).
    let advanced: Promise<void> | undefined;
    const workerStore = signalRunEnds(deps.store, (runId) => {
      advanced = deps.sweeps.runEnded(runId);
    });
    await endRun(workerStore, first!.id, () => expect(advanced).toBeUndefined());
    await advanced;
    expect(await trialsOf(deps.store, "swp_react")).toEqual([
      [0, "canceled"],
      [1, "queued"],
    ]);
  });

  it("a tick while a pass runs gets one more pass, which sees a trial that ended meanwhile", async () => {
    const { deps } = await open();
    await deps.store.createSweep({ id: "swp_during", name: null, spec: spec({ trials: 3 }) });
    await deps.sweeps.tick();
    const [first] = await deps.store.sweepRuns("swp_during");
    // A store whose next read of the sweep's runs waits until released: the pass in flight has read nothing yet.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let gated = true;
    const slow: Store = new Proxy(deps.store, {
      get(target, key) {
        // The scheduler's read of a sweep's runs (sweep-state.ts), held after it read them.
        if (key === "sweepRunRows")
          return async (id: string, ids: readonly string[]) => {
            const runs = await target.sweepRunRows(id, ids);
            if (gated) {
              gated = false;
              await gate;
            }
            return runs;
          };
        const value = Reflect.get(target, key, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const scheduler = new SweepScheduler(slow, deps.runs, quietLog(), 60_000);
    const firstPass = scheduler.tick();
    await vi.waitFor(() => expect(gated).toBe(false));
    await endRun(deps.store, first!.id);
    const nextPass = scheduler.tick();
    expect(nextPass).not.toBe(firstPass);
    release();
    await firstPass;
    expect((await trialsOf(deps.store, "swp_during")).length).toBe(1);
    await nextPass;
    expect((await trialsOf(deps.store, "swp_during")).length).toBe(2);
  });

  it("does not judge a sweep again while neither its runs nor its record changed since a pass that queued nothing", async () => {
    const { deps } = await open();
    const scheduler = new SweepScheduler(deps.store, deps.runs, quietLog(), 60_000);
    await deps.store.createSweep({ id: "swp_idle", name: null, spec: spec({ trials: 3 }) });
    await scheduler.tick();
    expect(await trialsOf(deps.store, "swp_idle")).toEqual([[0, "queued"]]);
    // Trial 0 holds the one place (parallelism 1): this pass queues nothing, and the passes after it are skipped.
    await scheduler.tick();
    const judged = scheduler.fullPasses;
    await scheduler.tick();
    await scheduler.tick();
    expect(scheduler.fullPasses).toBe(judged);
    // A run's change (trial 0 ends) is judged, and queues trial 1.
    const [first] = await deps.store.sweepRuns("swp_idle");
    await endRun(deps.store, first!.id);
    await scheduler.tick();
    expect(scheduler.fullPasses).toBe(judged + 1);
    expect(await trialsOf(deps.store, "swp_idle")).toEqual([
      [0, "canceled"],
      [1, "queued"],
    ]);
    // So is a change of the sweep's own record alone: extended by a trial while trial 1 holds the place.
    await scheduler.tick();
    const before = scheduler.fullPasses;
    await scheduler.tick();
    expect(scheduler.fullPasses).toBe(before);
    await deps.store.reopenSweep("swp_idle", { action: "extend", trials: 1 });
    await scheduler.tick();
    expect(scheduler.fullPasses).toBe(before + 1);
  });

  it("a trial canceled through the API advances its sweep at once", async () => {
    const { app, deps } = await open();
    await deps.store.createSweep({ id: "swp_cancel", name: null, spec: spec({ trials: 3 }) });
    await deps.sweeps.tick();
    const [first] = await deps.store.sweepRuns("swp_cancel");
    const runEnded = vi.spyOn(deps.sweeps, "runEnded");
    expect((await app.request(`/v1/runs/${first!.id}/cancel`, { method: "POST" })).status).toBe(202);
    expect(runEnded).toHaveBeenCalledWith(first!.id, "swp_cancel");
    await runEnded.mock.results[0]!.value;
    expect((await trialsOf(deps.store, "swp_cancel")).length).toBe(2);
  });

  it("a client cannot take a trial's idempotency key, and the sweep goes on", async () => {
    const { app, deps } = await open();
    await deps.store.createSweep({ id: "swp_keys", name: null, spec: spec() });
    await deps.sweeps.tick();
    // Trial 1's key as the scheduler used to write it, and with the service's reserved prefix.
    const squat = async (key: string) =>
      app.request("/v1/runs", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": key },
        body: JSON.stringify({ config: { steps: 7 } }),
      });
    expect((await squat("swp_keys:1:0")).status).toBe(202);
    const reserved = await squat("sweeplab:trial:swp_keys:1:0");
    expect(reserved.status).toBe(400);
    expect(await reserved.json()).toMatchObject({ code: "IDEMPOTENCY_KEY_RESERVED" });
    const [first] = await deps.store.sweepRuns("swp_keys");
    await endRun(deps.store, first!.id);
    await deps.sweeps.tick();
    const runs = await deps.store.sweepRuns("swp_keys");
    expect(runs.map((r) => [r.trialIndex, (r.config as { steps: number }).steps])).toEqual([
      [0, 20],
      [1, 20],
    ]);
  });

  it("one sweep's failure does not stop the others, and is logged once however many passes fail", async () => {
    const { deps } = await open();
    for (const id of ["swp_a", "swp_b", "swp_c"])
      await deps.store.createSweep({ id, name: null, spec: spec() });
    const broken: Store = new Proxy(deps.store, {
      get(target, key) {
        if (key === "sweepRunsFingerprint")
          return async (id: string) => {
            if (id === "swp_b") throw new Error("disk on fire");
            return target.sweepRunsFingerprint(id);
          };
        const value = Reflect.get(target, key, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const log = quietLog();
    const scheduler = new SweepScheduler(broken, deps.runs, log, 60_000);
    for (let pass = 0; pass < 3; pass++) await scheduler.tick();
    expect((await deps.store.sweepRuns("swp_a")).length).toBe(1);
    expect((await deps.store.sweepRuns("swp_c")).length).toBe(1);
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it("a sweep whose finished trial run was deleted still ends", async () => {
    const { app, deps } = await open();
    await deps.store.createSweep({ id: "swp_del", name: null, spec: spec() });
    await deps.sweeps.tick();
    const [first] = await deps.store.sweepRuns("swp_del");
    await endRun(deps.store, first!.id);
    await deps.sweeps.tick();
    const second = (await deps.store.sweepRuns("swp_del")).find((r) => r.trialIndex === 1)!;
    await endRun(deps.store, second.id);
    expect((await app.request(`/v1/runs/${first!.id}`, { method: "DELETE" })).status).toBe(204);
    await deps.sweeps.tick();
    expect(await deps.store.getSweep("swp_del")).toMatchObject({ status: "succeeded" });
  });

  it("waits for room in a full queue instead of overfilling it, then goes on", async () => {
    const { app, deps } = await open({ SWEEPLAB_MAX_QUEUED_RUNS: "2" });
    await deps.store.createSweep({ id: "swp_full", name: null, spec: spec({ trials: 3, parallelism: 3 }) });
    await deps.sweeps.tick();
    expect(await trialsOf(deps.store, "swp_full")).toEqual([
      [0, "queued"],
      [1, "queued"],
    ]);
    expect(await deps.store.getSweep("swp_full")).toMatchObject({ status: "running" });
    const [first] = await deps.store.sweepRuns("swp_full");
    await app.request(`/v1/runs/${first!.id}/cancel`, { method: "POST" });
    await deps.sweeps.tick();
    expect((await trialsOf(deps.store, "swp_full")).map(([index]) => index)).toEqual([0, 1, 2]);
  });

  it("advances every running sweep, past the first thousand", async () => {
    const { deps } = await open({ SWEEPLAB_MAX_QUEUED_RUNS: "5000" });
    const ids = Array.from({ length: 1001 }, (_, i) => `swp_${String(i).padStart(4, "0")}`);
    for (const id of ids) await deps.store.createSweep({ id, name: null, spec: spec({ trials: 1 }) });
    await deps.sweeps.tick();
    for (const id of [ids[0]!, ids[500]!, ids[1000]!])
      expect((await deps.store.sweepRuns(id)).length).toBe(1);
  }, 120_000);
});
