import { setTimeout as sleep } from "node:timers/promises";
import { type RunConfig, TERMINAL_STATUSES, train } from "@sweeplab/core";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../log.ts";
import type { RunRecord, Store } from "../store/store.ts";
import { createTestApp } from "../test-app.ts";
import { Worker, type WorkerOptions } from "./worker.ts";

const RUN = {
  model: { kind: "mlp", depth: 1, width: 32 },
  steps: 120,
  batchSize: 64,
  logEverySteps: 20,
  evalEverySteps: 60,
  validationSize: 500,
};

/** The store, with appendEvent replaced by `append` (which may call the real one through `next`). */
function withAppendEvent(
  store: Store,
  append: (
    next: Store["appendEvent"],
    ...args: Parameters<Store["appendEvent"]>
  ) => ReturnType<Store["appendEvent"]>,
): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === "appendEvent") {
        return ((...args: Parameters<Store["appendEvent"]>) =>
          append(target.appendEvent.bind(target), ...args)) satisfies Store["appendEvent"];
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The store, except that its first write of a `step` event fails, as a full disk or a busy database would. */
function failingOnce(store: Store): { store: Store; failures: () => number } {
  let failures = 0;
  const wrapped = withAppendEvent(store, async (next, ...args) => {
    if (args[1].type === "step" && failures === 0) {
      failures += 1;
      throw new Error("SQLITE_FULL: database or disk is full");
    }
    return next(...args);
  });
  return { store: wrapped, failures: () => failures };
}

/** Queues RUN through the API; returns its id. */
async function submitRun(app: {
  request: (path: string, init: RequestInit) => Response | Promise<Response>;
}) {
  const created = await app.request("/v1/runs", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ config: RUN }),
  });
  return ((await created.json()) as { id: string }).id;
}

/** The steps of a run's `step` events, in order. */
async function stepEventSteps(store: Store, id: string): Promise<number[]> {
  const events = await store.eventsAfter(id, 0, 100);
  return events.filter((e) => e.type === "step").map((e) => (e.data as { step: number }).step);
}

function createWorker(store: Store, options: Partial<WorkerOptions> = {}): Worker {
  return new Worker({
    store,
    id: "w-test",
    host: "test",
    backend: "auto",
    leaseMs: 10_000,
    pollMs: 50,
    checkpointEverySteps: 0,
    maxRunAttempts: 3,
    log: createLogger("test", "silent"),
    ...options,
  });
}

/** Polls until every run has ended; returns them in the order asked. */
async function ended(store: Store, ids: string[], timeoutMs = 120_000): Promise<RunRecord[]> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    const runs = await Promise.all(ids.map((id) => store.getRun(id)));
    if (runs.every((r) => r && TERMINAL_STATUSES.includes(r.status))) return runs as RunRecord[];
    if (Date.now() > deadline) throw new Error(`runs still training: ${runs.map((r) => r?.status)}`);
  }
}

/** A sweep of three trials that differ only in peak learning rate: one batched group. */
async function createCompatibleSweep(app: Awaited<ReturnType<typeof createTestApp>>["app"], steps = 120) {
  const response = await app.request("/v1/sweeps", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      base: { ...RUN, steps, optimizer: { kind: "adamw" } },
      space: {
        parameters: [
          { name: "lr", path: "optimizer.learningRate", type: "categorical", values: [1e-3, 2e-3, 3e-3] },
        ],
      },
      method: "grid",
      trials: 3,
      parallelism: 3,
    }),
  });
  expect(response.status).toBe(202);
  const sweep = (await response.json()) as { trialRuns: { runId: string }[] };
  expect(sweep.trialRuns).toHaveLength(3);
  return sweep.trialRuns.map((t) => t.runId);
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("a worker", () => {
  it("claims a run queued while it idles when told to, not at the end of its poll interval", async () => {
    const { deps, close } = await createTestApp();
    closers.push(close);
    const worker = createWorker(deps.store, { pollMs: 600_000 });
    const running = worker.run();
    // Wait until it has looked at the empty queue and gone idle for its (ten-minute) poll interval.
    for (let i = 0; i < 300 && (await deps.store.listWorkers()).length === 0; i++) await sleep(100);
    await sleep(200);
    const { run } = await deps.runs.submit({ config: RUN });
    worker.claimNow();
    let seen = await deps.store.getRun(run.id);
    for (let i = 0; i < 300 && seen?.status === "queued"; i++) {
      await sleep(100);
      seen = await deps.store.getRun(run.id);
    }
    worker.stop();
    await running;
    expect(seen?.status).not.toBe("queued");
  }, 60_000);

  it("rides out a store that throws once while it records an event: the API stays up and the run completes", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    const { store, failures } = failingOnce(deps.store);
    const worker = createWorker(store);
    const running = worker.run();
    const id = await submitRun(app);
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
    expect(await stepEventSteps(deps.store, id)).toEqual([20, 40, 60, 80, 100, 120]);
  }, 120_000);

  it("waits out a store outage longer than its retries while it records an event: no attempt spent", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    // The store refuses connections for its first 7 tries of the first `step` event (about 7 s at one try a
    // second): longer than the five tries that an ordinary failing write gets.
    let refusals = 0;
    const store = withAppendEvent(deps.store, async (next, ...args) => {
      if (args[1].type === "step" && refusals < 7) {
        refusals += 1;
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      }
      return next(...args);
    });
    const worker = createWorker(store);
    const running = worker.run();
    const id = await submitRun(app);
    const [run] = await ended(deps.store, [id], 40_000);
    worker.stop();
    await running;
    expect(refusals).toBe(7);
    expect(run).toMatchObject({ status: "succeeded", step: 120, attempts: 1 });
    expect(await stepEventSteps(deps.store, id)).toEqual([20, 40, 60, 80, 100, 120]);
  }, 120_000);

  it("fails a run once with STORAGE_FULL when its weights cannot be written for a full disk, and trains on", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    let full = true;
    let weightWrites = 0;
    const store = new Proxy(deps.store, {
      get(target, key, receiver) {
        if (key === "putArtifact") {
          return (async (...args: Parameters<Store["putArtifact"]>) => {
            if (args[1] === "weights") weightWrites += 1;
            if (args[1] === "weights" && full) {
              throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
            }
            return target.putArtifact(...args);
          }) satisfies Store["putArtifact"];
        }
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const worker = createWorker(store);
    let crashed: unknown;
    const running = worker.run().catch((error: unknown) => {
      crashed = error;
    });
    const { run } = await deps.runs.submit({ config: RUN as RunConfig });
    const [failed] = await ended(deps.store, [run.id], 30_000);
    expect(failed).toMatchObject({ status: "failed", errorCode: "STORAGE_FULL", attempts: 1 });
    expect(failed!.errorMessage).toContain(`the disk holding the store (${deps.store.location}) is full`);
    expect(failed!.errorMessage).toContain("database or disk is full");
    // Tried a few times, then given up for good: the run ended once, on its first attempt.
    expect(weightWrites).toBeGreaterThanOrEqual(1);
    const status = (await (await app.request("/v1/status")).json()) as { storageProblem: string | null };
    expect(status.storageProblem).toMatch(/was full at .*database or disk is full/);

    // The worker is still there: once the disk has room, the next run trains to its end.
    full = false;
    const { run: next } = await deps.runs.submit({ config: RUN as RunConfig });
    const [succeeded] = await ended(deps.store, [next.id]);
    worker.stop();
    await running;
    expect(crashed).toBeUndefined();
    expect(succeeded).toMatchObject({ status: "succeeded", attempts: 1 });
  }, 120_000);

  it("ends a run whose checkpoint cannot be read as failed, with the cause, instead of retrying it", async () => {
    const { deps, close } = await createTestApp();
    closers.push(close);
    const { run } = await deps.runs.submit({ config: RUN });
    await deps.store.claimRun({ id: "w-old", host: "test" }, 10_000);
    await deps.store.putArtifact(run.id, "checkpoint", 60, Buffer.from("not a checkpoint"));
    await deps.store.releaseRun(run.id, "w-old", "test");
    const worker = createWorker(deps.store);
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

describe("a worker with batchTrials", () => {
  it("trains a sweep's three compatible trials as one group, each as accurate as alone", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    const ids = await createCompatibleSweep(app);
    const worker = createWorker(deps.store, { id: "w-batch", batchTrials: 4 });
    const running = worker.run();
    const runs = await ended(deps.store, ids);
    worker.stop();
    await running;
    expect(runs.map((r) => [r.status, r.step, r.attempts])).toEqual([
      ["succeeded", 120, 1],
      ["succeeded", 120, 1],
      ["succeeded", 120, 1],
    ]);
    // Claimed together: every trial's claim is stored before any trial's first step.
    const events = await Promise.all(ids.map((id) => deps.store.eventsAfter(id, 0, 100)));
    const claims = events.flatMap((list) => list.filter((e) => e.type === "claimed"));
    expect(claims.map((e) => e.data)).toEqual(
      Array(3).fill(expect.objectContaining({ workerId: "w-batch" })),
    );
    const firstStep = Math.min(...events.map((list) => list.find((e) => e.type === "step")!.createdAt));
    expect(Math.max(...claims.map((e) => e.createdAt))).toBeLessThanOrEqual(firstStep);
    for (const run of runs) {
      let alone: number | undefined;
      for await (const event of train(run.config as RunConfig)) {
        if (event.type === "finished") alone = event.testAccuracy;
      }
      expect(Math.abs(run.testAccuracy! - alone!)).toBeLessThan(1e-4);
    }
  }, 180_000);

  it("cancels one trial of a group and prunes another; the third finishes", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    const [canceled, pruned, finishing] = (await createCompatibleSweep(app, 400)) as [string, string, string];
    // Cancel is requested the moment the first trial's step 40 is stored, as a client would through the API.
    const store = withAppendEvent(deps.store, async (next, ...args) => {
      const written = await next(...args);
      const [runId, event] = args;
      if (runId === canceled && event.type === "step" && event.step === 40) {
        await deps.runs.cancel(canceled);
      }
      return written;
    });
    const worker = createWorker(store, {
      batchTrials: 3,
      earlyStop: async (run, event) =>
        run.id === pruned && event.step === 60 ? { rung: 0, reason: "worst at rung 0 (test)" } : undefined,
    });
    const running = worker.run();
    const runs = await ended(deps.store, [canceled, pruned, finishing]);
    worker.stop();
    await running;
    expect(runs[0]).toMatchObject({ status: "canceled" });
    expect(runs[0]!.step).toBeLessThan(400);
    expect(runs[1]).toMatchObject({ status: "pruned", step: 60, errorMessage: "worst at rung 0 (test)" });
    expect(runs[2]).toMatchObject({ status: "succeeded", step: 400, attempts: 1 });
    const finishingEvents = await deps.store.eventsAfter(finishing, 0, 100);
    expect(finishingEvents.filter((e) => e.type === "step")).toHaveLength(20);
  }, 180_000);

  it("drops only the trial whose lease another worker took; its writes are refused and the others finish", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    const [taken, ...others] = (await createCompatibleSweep(app, 400)) as [string, string, string];
    // At step 40 the trial is handed to another worker, as when this one was presumed dead and its lease expired.
    const store = withAppendEvent(deps.store, async (next, ...args) => {
      const written = await next(...args);
      if (args[0] === taken && args[1].type === "step" && args[1].step === 40) {
        await deps.store.releaseRun(taken, "w-test", "test: lease handed over");
        await deps.store.claimQueuedRun({ id: "w-other", host: "elsewhere" }, taken, 60_000);
      }
      return written;
    });
    const worker = createWorker(store, { batchTrials: 3 });
    const running = worker.run();
    const runs = await ended(deps.store, others);
    worker.stop();
    await running;
    expect(runs.map((r) => [r.status, r.step])).toEqual([
      ["succeeded", 400],
      ["succeeded", 400],
    ]);
    expect(await deps.store.getRun(taken)).toMatchObject({
      status: "running",
      leaseOwner: "w-other",
      step: 40,
    });
    const events = await deps.store.eventsAfter(taken, 0, 100);
    expect(events.map((e) => e.type).slice(-2)).toEqual(["requeued", "claimed"]);
    expect(await deps.store.getArtifact(taken, "weights")).toBeUndefined();
  }, 180_000);

  it("hands a group back at shutdown without spending attempts; each trial then resumes alone from its checkpoint", async () => {
    const { app, deps, close } = await createTestApp();
    closers.push(close);
    const ids = await createCompatibleSweep(app, 400);
    let worker: Worker | undefined;
    const store = withAppendEvent(deps.store, async (next, ...args) => {
      const written = await next(...args);
      if (args[0] === ids[0] && args[1].type === "step" && args[1].step === 220) worker?.stop();
      return written;
    });
    worker = createWorker(store, { id: "w-first", batchTrials: 3, checkpointEverySteps: 100 });
    await worker.run();
    const released = await Promise.all(ids.map((id) => deps.store.getRun(id)));
    expect(released.map((r) => [r?.status, r?.attempts, r?.leaseOwner])).toEqual(
      Array(3).fill(["queued", 0, null]),
    );
    const checkpoints = await Promise.all(ids.map((id) => deps.store.getArtifact(id, "checkpoint")));
    expect(checkpoints.map((c) => c?.step)).toEqual([200, 200, 200]);

    const second = createWorker(deps.store, { id: "w-second", batchTrials: 3 });
    const running = second.run();
    const runs = await ended(deps.store, ids);
    second.stop();
    await running;
    expect(runs.map((r) => [r.status, r.step, r.attempts])).toEqual(Array(3).fill(["succeeded", 400, 1]));
    for (const id of ids) {
      const events = await deps.store.eventsAfter(id, 0, 200);
      const started = events.filter((e) => e.type === "started").map((e) => e.data);
      expect(started[1]).toMatchObject({ resumedFromStep: 200 });
    }
  }, 180_000);
});
