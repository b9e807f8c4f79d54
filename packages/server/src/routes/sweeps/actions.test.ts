import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test-support/databases.ts";
import { useDialectApps } from "../../test-support/dialect-apps.ts";
import { claim, endTrial, queuedRuns } from "../../test-support/fake-trials.ts";

const post = (body?: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const SPACE = {
  parameters: [
    { name: "batch", path: "batchSize", type: "categorical", values: [16, 32, 64] },
    { name: "seed", path: "seed", type: "categorical", values: [100, 200, 300, 400] },
  ],
};

type SweepView = {
  id: string;
  status: string;
  stopReason: string | null;
  trials: number;
  budget?: unknown;
  warmStartFrom?: string | null;
  estimatedFinishAt?: string | null;
  leaderboard: { trialIds: (string | number)[] }[];
  trialRuns: {
    trialIndex: number;
    runId: string;
    status: string;
    attempt?: number;
    retryOf?: string | null;
  }[];
};

describe.each(DIALECTS)("sweep actions API on $dialect", ({ create }) => {
  const open = useDialectApps(create);

  async function startSweep(
    app: { request: (p: string, i?: RequestInit) => Response | Promise<Response> },
    body: object,
  ) {
    const response = await app.request(
      "/v1/sweeps",
      post({ space: SPACE, method: "random", base: { steps: 20 }, ...body }),
    );
    expect(response.status).toBe(202);
    return (await response.json()) as SweepView;
  }

  it("cancel half way, then resume: the sweep ends with every trial once", async () => {
    const { app, deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await startSweep(app, { trials: 4, parallelism: 2 });
    const [first] = await queuedRuns(store, sweep.id);
    await endTrial(store, first!, { value: 0.9 });
    await sweeps.tick();
    expect((await app.request(`/v1/sweeps/${sweep.id}/cancel`, post())).status).toBe(202);
    const resumed = await app.request(`/v1/sweeps/${sweep.id}/resume`, post({}));
    expect(resumed.status).toBe(202);
    const view = (await resumed.json()) as SweepView;
    expect(view.status).toBe("running");
    // The canceled trials 1 and 2 are queued again as attempt 1 of each, listed in place of the canceled runs.
    expect(view.trialRuns.map((t) => [t.trialIndex, t.status, t.attempt])).toEqual([
      [0, "succeeded", 0],
      [1, "queued", 1],
      [2, "queued", 1],
    ]);
    for (let i = 0; i < 3 && (await store.getSweep(sweep.id))?.status === "running"; i++) {
      for (const run of await queuedRuns(store, sweep.id)) await endTrial(store, run, { value: 0.8 });
      await sweeps.tick();
    }
    const done = (await (await app.request(`/v1/sweeps/${sweep.id}`)).json()) as SweepView;
    expect(done.status).toBe("succeeded");
    expect(done.trialRuns.map((t) => [t.trialIndex, t.status])).toEqual([
      [0, "succeeded"],
      [1, "succeeded"],
      [2, "succeeded"],
      [3, "succeeded"],
    ]);
    expect(done.leaderboard.flatMap((e) => e.trialIds)).toHaveLength(4);
  });

  it("retry re-runs a failed trial, linked to the failed run, and the leaderboard counts it once", async () => {
    const { app, deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await startSweep(app, { trials: 2, parallelism: 2, maxConsecutiveFailures: 3 });
    const [a, b] = await queuedRuns(store, sweep.id);
    await endTrial(store, a!, "failed");
    await endTrial(store, b!, { value: 0.7 });
    await sweeps.tick();
    const retried = (await (await app.request(`/v1/sweeps/${sweep.id}/retry`, post())).json()) as SweepView;
    expect(retried.status).toBe("running");
    expect(retried.trialRuns.find((t) => t.trialIndex === 0)).toMatchObject({ attempt: 1, retryOf: a!.id });
    const [again] = await queuedRuns(store, sweep.id);
    expect(again!.config).toEqual((await store.getRun(a!.id))!.config);
    await endTrial(store, again!, { value: 0.75 });
    await sweeps.tick();
    const done = (await (await app.request(`/v1/sweeps/${sweep.id}`)).json()) as SweepView;
    expect(done.status).toBe("succeeded");
    expect(done.leaderboard.flatMap((e) => e.trialIds).sort()).toEqual([again!.id, b!.id].sort());
    // Nothing failed now: a second retry is refused.
    const refusal = await app.request(`/v1/sweeps/${sweep.id}/retry`, post());
    expect(refusal.status).toBe(409);
    expect(refusal.headers.get("content-type")).toContain("application/problem+json");
    expect(await refusal.json()).toMatchObject({ code: "NOTHING_TO_RETRY" });
  });

  it("extend adds trials to a finished sweep, indices following the last", async () => {
    const { app, deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await startSweep(app, { trials: 2, parallelism: 2 });
    for (const run of await queuedRuns(store, sweep.id)) await endTrial(store, run, { value: 0.6 });
    await sweeps.tick();
    const response = await app.request(`/v1/sweeps/${sweep.id}/extend`, post({ trials: 2 }));
    expect(response.status).toBe(202);
    const view = (await response.json()) as SweepView;
    expect(view).toMatchObject({ status: "running", trials: 4 });
    expect(view.trialRuns.map((t) => t.trialIndex)).toEqual([0, 1, 2, 3]);
  });

  it("answers problems: resume of a running sweep, extend of a canceled one, unknown sweeps, bad bodies", async () => {
    const { app } = await open();
    const sweep = await startSweep(app, { trials: 2 });
    const problem = async (path: string, body?: unknown) => {
      const response = await app.request(path, post(body));
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      return [response.status, ((await response.json()) as { code: string }).code];
    };
    expect(await problem(`/v1/sweeps/${sweep.id}/resume`, {})).toEqual([409, "SWEEP_ACTIVE"]);
    expect(await problem("/v1/sweeps/swp_missing/resume", {})).toEqual([404, "SWEEP_NOT_FOUND"]);
    expect(await problem("/v1/sweeps/swp_missing/retry")).toEqual([404, "SWEEP_NOT_FOUND"]);
    expect(await problem("/v1/sweeps/swp_missing/extend", { trials: 1 })).toEqual([404, "SWEEP_NOT_FOUND"]);
    expect(await problem(`/v1/sweeps/${sweep.id}/extend`, { trials: 0 })).toEqual([400, "VALIDATION_FAILED"]);
    expect(await problem(`/v1/sweeps/${sweep.id}/resume`, { budget: { maxTrials: -1 } })).toEqual([
      400,
      "VALIDATION_FAILED",
    ]);
    await app.request(`/v1/sweeps/${sweep.id}/cancel`, post());
    expect(await problem(`/v1/sweeps/${sweep.id}/extend`, { trials: 1 })).toEqual([
      409,
      "INVALID_TRANSITION",
    ]);
  });

  it("resume waits while a canceled sweep's trial is still stopping (409 SWEEP_STOPPING)", async () => {
    const { app, deps } = await open();
    const sweep = await startSweep(app, { trials: 2, parallelism: 1 });
    const [run] = await queuedRuns(deps.store, sweep.id);
    await claim(deps.store, run!.id);
    await app.request(`/v1/sweeps/${sweep.id}/cancel`, post());
    const response = await app.request(`/v1/sweeps/${sweep.id}/resume`, post({}));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: "SWEEP_STOPPING" });
  });

  it("a budget shows in the summary, with an estimated finish once a trial has finished", async () => {
    const { app, deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await startSweep(app, {
      trials: 6,
      parallelism: 2,
      budget: { wallClockSeconds: 3600, maxTrials: 5 },
    });
    expect(sweep).toMatchObject({
      budget: { wallClockSeconds: 3600, maxTrials: 5 },
      estimatedFinishAt: null,
    });
    const [first] = await queuedRuns(store, sweep.id);
    await endTrial(store, first!, { value: 0.6 });
    await sweeps.tick();
    const view = (await (await app.request(`/v1/sweeps/${sweep.id}`)).json()) as SweepView;
    const eta = Date.parse(view.estimatedFinishAt!);
    expect(eta).toBeGreaterThanOrEqual(Date.now() - 1000);
    expect(eta).toBeLessThanOrEqual((await store.getSweep(sweep.id))!.createdAt + 3_600_000);
    const list = (await (await app.request("/v1/sweeps")).json()) as { items: SweepView[] };
    expect(list.items[0]).toMatchObject({ id: sweep.id, budget: { maxTrials: 5 } });
  });

  it("warm-starts from an earlier sweep: its fitting finished trials become the sampler's history", async () => {
    const { app, deps } = await open();
    const { store, sweeps } = deps;
    const earlier = await startSweep(app, { trials: 3, parallelism: 3, seed: 5 });
    for (const run of await queuedRuns(store, earlier.id)) await endTrial(store, run, { value: 0.5 });
    await sweeps.tick();
    const warm = await startSweep(app, { trials: 2, method: "tpe", warmStartFrom: earlier.id });
    expect(warm.warmStartFrom).toBe(earlier.id);
    const stored = (await store.getSweep(warm.id))!.spec as {
      warmStart: { trials: { trialIndex: number }[] };
    };
    expect(stored.warmStart.trials.map((t) => t.trialIndex)).toEqual([-3, -2, -1]);
    // Trial 0 was proposed with the earlier sweep's three trials as its history.
    const [first] = await store.sweepRuns(warm.id);
    expect((first!.trial as { history: number[] }).history).toEqual([-3, -2, -1]);
    const missing = await app.request(
      "/v1/sweeps",
      post({ space: SPACE, base: { steps: 20 }, trials: 1, warmStartFrom: "swp_nope" }),
    );
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: "INVALID_SWEEP" });
  });
});
