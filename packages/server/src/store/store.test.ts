import { parseRunConfig, type RunEvent } from "@sweeplab/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DIALECTS, type TestDatabase } from "../test-support/databases.ts";
import { openStore } from "./open.ts";
import type { NewRun, Store } from "./store.ts";

let counter = 0;
const newRun = (over: Partial<NewRun> = {}): NewRun => ({
  id: `run_${++counter}_${Math.random().toString(36).slice(2, 8)}`,
  name: null,
  tags: ["a"],
  config: parseRunConfig({ steps: 10 }),
  totalSteps: 10,
  ...over,
});
const step = (n: number): RunEvent => ({
  type: "step",
  step: n,
  loss: 1 / n,
  learningRate: 0.001,
  msPerStep: 5,
  examplesPerSecond: 100,
  liveTensors: 10,
});
const W1 = { id: "w1", host: "h1" };
const W2 = { id: "w2", host: "h2" };

describe.each(DIALECTS)("store on $dialect", ({ create }) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await create();
    store = await openStore(db.url);
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  it("creates a queued run with its queued event numbered 1", async () => {
    const { run, created } = await store.createRun(newRun());
    expect(created).toBe(true);
    expect(run.status).toBe("queued");
    expect(await store.eventsAfter(run.id, 0, 10)).toMatchObject([{ seq: 1, type: "queued" }]);
  });

  it("returns the same run for a repeated idempotency key and refuses a different body under it", async () => {
    const first = await store.createRun(newRun({ idempotencyKey: "k", requestHash: "h1" }));
    const again = await store.createRun(newRun({ idempotencyKey: "k", requestHash: "h1" }));
    expect(again).toMatchObject({ created: false, run: { id: first.run.id } });
    await expect(store.createRun(newRun({ idempotencyKey: "k", requestHash: "h2" }))).rejects.toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
    });
  });

  it("gives each queued run to exactly one of many concurrent claimers", async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await store.createRun(newRun())).run.id);
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.claimRun({ id: `w${i}`, host: "h" }, 60_000)),
    );
    const claimed = claims.filter((c) => c !== undefined).map((c) => c.run.id);
    expect(claimed.sort()).toEqual([...ids].sort());
    expect((await store.countRunsByStatus()).running).toBe(5);
  });

  it("claims a named queued run once, and never one that is taken, ended or would resume from a checkpoint", async () => {
    const wanted = (await store.createRun(newRun())).run;
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.claimQueuedRun({ id: `w${i}`, host: "h" }, wanted.id, 60_000),
      ),
    );
    const won = claims.filter((c) => c !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ id: wanted.id, status: "running", attempts: 1 });
    expect(await store.getRun(wanted.id)).toMatchObject({ leaseOwner: won[0]!.leaseOwner });
    expect((await store.eventsAfter(wanted.id, 0, 10)).map((e) => e.type)).toEqual(["queued", "claimed"]);

    const resumable = (await store.createRun(newRun())).run;
    await store.claimRun(W1, 60_000);
    await store.putArtifact(resumable.id, "checkpoint", 5, Buffer.from([1]));
    await store.releaseRun(resumable.id, "w1", "stopping");
    expect(await store.claimQueuedRun(W2, resumable.id, 60_000)).toBeUndefined();
    expect(await store.getRun(resumable.id)).toMatchObject({ status: "queued", leaseOwner: null });

    const canceled = (await store.createRun(newRun())).run;
    await store.requestCancel(canceled.id, "by test");
    expect(await store.claimQueuedRun(W2, canceled.id, 60_000)).toBeUndefined();
    expect(await store.claimQueuedRun(W2, "run_missing", 60_000)).toBeUndefined();
  });

  it("numbers events without gaps and refuses writes from a worker that lost the lease", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 60_000);
    expect(await store.appendEvent(run.id, step(1), { owner: "w1", leaseMs: 60_000 })).toMatchObject({
      owned: true,
      seq: 3,
    });
    expect(await store.appendEvent(run.id, step(2), { owner: "w2" })).toEqual({
      owned: false,
      cancelRequested: false,
    });
    const events = await store.eventsAfter(run.id, 0, 100);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, "queued"],
      [2, "claimed"],
      [3, "step"],
    ]);
    expect((await store.getRun(run.id))?.step).toBe(1);
    expect((await store.metrics(run.id)).map((m) => m.loss)).toEqual([1]);
  });

  it("renews the lease on each write of the worker holding it, and lets go of it when the run ends", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 1);
    const before = (await store.getRun(run.id))!.leaseExpiresAt!;
    await store.appendEvent(run.id, step(1), { owner: "w1", leaseMs: 60_000 });
    const renewed = (await store.getRun(run.id))!.leaseExpiresAt!;
    expect(renewed - before).toBeGreaterThanOrEqual(60_000 - 1);
    // A write without a lease length, or from a worker without the lease, renews nothing.
    await store.appendEvent(run.id, step(2), { owner: "w1" });
    await store.appendEvent(run.id, step(3), { owner: "w2", leaseMs: 120_000 });
    expect((await store.getRun(run.id))!.leaseExpiresAt).toBe(renewed);
    await store.appendEvent(
      run.id,
      { type: "failed", step: 2, code: "INTERNAL", message: "boom" },
      { owner: "w1", leaseMs: 60_000 },
    );
    expect(await store.getRun(run.id)).toMatchObject({
      status: "failed",
      leaseOwner: null,
      leaseExpiresAt: null,
    });
  });

  it("drops the writes of a worker whose run was requeued and claimed by another", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 1);
    await new Promise((r) => setTimeout(r, 10));
    await store.requeueExpired(3);
    expect(await store.appendEvent(run.id, step(1), { owner: "w1", leaseMs: 60_000 })).toEqual({
      owned: false,
      cancelRequested: false,
    });
    await store.claimRun(W2, 60_000);
    expect(await store.appendEvent(run.id, step(1), { owner: "w1", leaseMs: 60_000 })).toMatchObject({
      owned: false,
    });
    expect(await store.appendEvent(run.id, step(1), { owner: "w2", leaseMs: 60_000 })).toMatchObject({
      owned: true,
    });
    expect((await store.eventsAfter(run.id, 0, 100)).map((e) => e.type)).toEqual([
      "queued",
      "claimed",
      "requeued",
      "claimed",
      "step",
    ]);
  });

  it("ends a sweep once: the first end wins and later ones change nothing", async () => {
    const sweep = await store.createSweep({ id: `sw_${++counter}`, name: null, spec: { trials: 1 } });
    expect(sweep.status).toBe("running");
    const ended = await store.endSweep(sweep.id, { status: "canceled", reason: "by test" });
    expect(ended).toMatchObject({ status: "canceled", stopReason: "by test" });
    expect(ended?.finishedAt).toEqual(expect.any(Number));
    expect(await store.endSweep(sweep.id, { status: "failed", reason: "late" })).toBeUndefined();
    expect(await store.endSweep(sweep.id, { status: "succeeded" })).toBeUndefined();
    expect(await store.getSweep(sweep.id)).toMatchObject({ status: "canceled", stopReason: "by test" });
    expect(await store.endSweep("sw_missing", { status: "succeeded" })).toBeUndefined();
  });

  it("ends a sweep once under concurrent ends", async () => {
    const sweep = await store.createSweep({ id: `sw_${++counter}`, name: null, spec: {} });
    const ends = await Promise.all([
      store.endSweep(sweep.id, { status: "succeeded" }),
      store.endSweep(sweep.id, { status: "canceled", reason: "a" }),
      store.endSweep(sweep.id, { status: "failed", reason: "b" }),
    ]);
    expect(ends.filter((e) => e !== undefined)).toHaveLength(1);
  });

  it("reads a sweep's runs by trial and its eval metrics only", async () => {
    const sweep = await store.createSweep({ id: `sw_${++counter}`, name: "s", spec: {} });
    const trial = (i: number) => ({ sweepId: sweep.id, trialIndex: i, repeatIndex: 0, trial: { i } });
    const second = (await store.createRun(newRun({ sweep: trial(1) }))).run;
    const first = (await store.createRun(newRun({ sweep: trial(0) }))).run;
    await store.createRun(newRun());
    expect((await store.sweepRuns(sweep.id)).map((r) => r.id)).toEqual([first.id, second.id]);
    await store.claimQueuedRun(W1, second.id, 60_000);
    await store.appendEvent(second.id, step(1), { owner: "w1" });
    const evaluation: RunEvent = {
      type: "eval",
      step: 1,
      learningRate: 0.001,
      trainLoss: 0.5,
      trainAccuracy: 0.8,
      validationLoss: 0.6,
      validationAccuracy: 0.7,
    };
    await store.appendEvent(second.id, evaluation, { owner: "w1" });
    expect(await store.sweepMetrics(sweep.id)).toMatchObject([
      { runId: second.id, step: 1, kind: "eval", validationAccuracy: 0.7 },
    ]);
    expect(await store.listRuns({ sweepId: sweep.id, sort: "created", limit: 10 })).toHaveLength(2);
  });

  it("requeues an expired lease, spending an attempt, and fails after the last attempt", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(await store.requeueExpired(2)).toEqual([run.id]);
    expect(await store.getRun(run.id)).toMatchObject({ status: "queued", attempts: 1, leaseOwner: null });
    await store.claimRun(W2, 1);
    await new Promise((r) => setTimeout(r, 10));
    await store.requeueExpired(2);
    expect(await store.getRun(run.id)).toMatchObject({ status: "failed", errorCode: "TOO_MANY_ATTEMPTS" });
  });

  it("spends no attempt when a worker releases its run politely", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 60_000);
    await store.releaseRun(run.id, "w1", "worker stopping");
    expect(await store.getRun(run.id)).toMatchObject({ status: "queued", attempts: 0 });
    const claim = await store.claimRun(W2, 60_000);
    expect(claim?.run).toMatchObject({ id: run.id, attempts: 1, leaseOwner: "w2" });
  });

  it("cancels a queued run at once and a running one through its worker, surviving the worker's death", async () => {
    const queued = (await store.createRun(newRun())).run;
    expect((await store.requestCancel(queued.id, "by test")).status).toBe("canceled");
    const running = (await store.createRun(newRun())).run;
    await store.claimRun(W1, 1);
    expect(await store.requestCancel(running.id, "by test")).toMatchObject({
      status: "running",
      cancelRequested: true,
    });
    await new Promise((r) => setTimeout(r, 10));
    await store.requeueExpired(3);
    expect((await store.getRun(running.id))?.status).toBe("canceled");
    expect(await store.claimRun(W2, 60_000)).toBeUndefined();
    await expect(store.requestCancel(running.id, "again")).rejects.toMatchObject({ code: "RUN_FINISHED" });
  });

  it("cancels a run its worker hands back after a cancel was asked (no worker would claim it again)", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 60_000);
    await store.requestCancel(run.id, "by test");
    await store.releaseRun(run.id, "w1", "worker stopping");
    expect(await store.getRun(run.id)).toMatchObject({ status: "canceled", errorCode: "CANCELED" });
    expect((await store.eventsAfter(run.id, 0, 100)).at(-1)).toMatchObject({ type: "canceled" });
  });

  it("ends a run through its terminal event and refuses events after it", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 60_000);
    await store.appendEvent(
      run.id,
      { type: "diverged", step: 3, code: "DIVERGED", message: "stuck" },
      { owner: "w1" },
    );
    expect(await store.getRun(run.id)).toMatchObject({
      status: "diverged",
      errorCode: "DIVERGED",
      leaseOwner: null,
    });
    expect(await store.appendEvent(run.id, step(4), { owner: "w1" })).toMatchObject({ owned: false });
    await expect(store.appendEvent(run.id, step(4))).rejects.toMatchObject({ code: "RUN_FINISHED" });
  });

  it("keeps one checkpoint per run and hands it to the next claimer", async () => {
    const { run } = await store.createRun(newRun());
    await store.claimRun(W1, 60_000);
    await store.putArtifact(run.id, "checkpoint", 5, Buffer.from([1, 2, 3]));
    await store.putArtifact(run.id, "checkpoint", 8, Buffer.from([4, 5]));
    await store.releaseRun(run.id, "w1", "stopping");
    const claim = await store.claimRun(W2, 60_000);
    expect(claim?.checkpoint?.step).toBe(8);
    expect([...(claim?.checkpoint?.bytes ?? [])]).toEqual([4, 5]);
  });

  it("filters runs by tag and pages by creation time", async () => {
    await store.createRun(newRun({ tags: ["x"] }));
    await new Promise((r) => setTimeout(r, 2));
    const b = (await store.createRun(newRun({ tags: ["x", "y"] }))).run;
    expect((await store.listRuns({ tag: "y", sort: "created", limit: 10 })).map((r) => r.id)).toEqual([b.id]);
    const page1 = await store.listRuns({ tag: "x", sort: "created", limit: 1 });
    expect(page1.map((r) => r.id)).toEqual([b.id]);
    const page2 = await store.listRuns({
      tag: "x",
      sort: "created",
      limit: 1,
      after: { v: page1[0]!.createdAt, id: page1[0]!.id },
    });
    expect(page2).toHaveLength(1);
    expect(page2[0]!.id).not.toBe(b.id);
  });
});
