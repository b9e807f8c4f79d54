import { afterEach, describe, expect, it } from "vitest";
import { createTestApp } from "../test-app.ts";
import { testSweepSpec } from "../test-support/sweep-spec.ts";

const post = (body: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

type SweepView = {
  id: string;
  status: string;
  stopReason: string | null;
  trials: number;
  trialRuns: { trialIndex: number; repeatIndex: number; runId: string; params: Record<string, unknown> }[];
};

describe("sweeps API (no workers: what the scheduler proposes and stores)", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  async function open() {
    const test = await createTestApp();
    closers.push(test.close);
    return test;
  }

  it("starts a preset sweep with `parallelism` trials queued, each repeat on its own seed", async () => {
    const { app, deps } = await open();
    const response = await app.request(
      "/v1/sweeps",
      post({ preset: "seed-mlp", trials: 5, parallelism: 2, repeats: 2, seed: 7, base: { steps: 50 } }),
    );
    expect(response.status).toBe(202);
    const sweep = (await response.json()) as SweepView;
    expect(sweep).toMatchObject({ status: "running", trials: 5 });
    expect(sweep.trialRuns.map((t) => [t.trialIndex, t.repeatIndex])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const runs = await Promise.all(sweep.trialRuns.map((t) => deps.store.getRun(t.runId)));
    const configs = runs.map((r) => r!.config as { steps: number; seed: number; batchSize: number });
    expect(configs.map((c) => c.steps)).toEqual([50, 50, 50, 50]);
    expect(configs.map((c) => c.seed)).toEqual([0, 1, 0, 1]);
    expect(configs[0]!.batchSize).toBe(configs[1]!.batchSize);
    // A second scheduling pass proposes nothing more while those train.
    await deps.sweeps.tick();
    expect((await deps.store.sweepRuns(sweep.id)).length).toBe(4);
    // The list's summary: runs by status, and no best mean before any result.
    const list = (await (await app.request("/v1/sweeps")).json()) as { items: unknown[] };
    expect(list.items).toMatchObject([{ id: sweep.id, bestMean: null, runsByStatus: { queued: 4 } }]);
  });

  it("proposes the same configs for the same seed, whatever happens in between", async () => {
    const configsOf = async () => {
      const { app } = await open();
      const sweep = (await (
        await app.request("/v1/sweeps", post({ preset: "seed-mlp", trials: 3, parallelism: 3, seed: 11 }))
      ).json()) as SweepView;
      return sweep.trialRuns.map((t) => t.params);
    };
    const a = await configsOf();
    expect(a).toHaveLength(3);
    expect(await configsOf()).toEqual(a);
  });

  it("answers a sweep without space or preset, an unknown field and an unknown sweep with problems", async () => {
    const { app } = await open();
    expect(await (await app.request("/v1/sweeps", post({ trials: 2 }))).json()).toMatchObject({
      status: 400,
      code: "INVALID_SWEEP",
    });
    expect((await app.request("/v1/sweeps", post({ preset: "seed-mlp", trails: 2 }))).status).toBe(400);
    expect((await app.request("/v1/sweeps/swp_nope")).status).toBe(404);
  });

  it("refuses a space whose values make an invalid run, naming the trial, and creates nothing", async () => {
    const { app } = await open();
    const space = {
      parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [0, 64] }],
    };
    const response = await app.request("/v1/sweeps", post({ space, trials: 4, seed: 1 }));
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe("INVALID_SWEEP");
    expect(problem.detail).toMatch(/^trial #\d \(batch=0\) is not a valid run: .*batchSize/);
    expect(((await (await app.request("/v1/sweeps")).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it("runs a grid to its last point by default, and refuses more trials than the grid has", async () => {
    const { app } = await open();
    const space = {
      parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [16, 32, 64] }],
    };
    const all = (await (
      await app.request("/v1/sweeps", post({ space, method: "grid", parallelism: 1 }))
    ).json()) as SweepView;
    expect(all.trials).toBe(3);
    const tooMany = await app.request("/v1/sweeps", post({ space, method: "grid", trials: 4 }));
    expect(await tooMany.json()).toMatchObject({ status: 400, code: "INVALID_SWEEP" });
  });

  it("ends a sweep failed, with the reason, when the queue refuses a trial's config for good", async () => {
    const { deps } = await open();
    // Stored as is (past the checks a request goes through), as a sweep from an older version would be.
    const sweep = await deps.store.createSweep({
      id: "swp_refused",
      name: null,
      spec: testSweepSpec({
        space: { parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [0] }] },
        method: "random",
      }),
    });
    await deps.sweeps.tick();
    const ended = await deps.store.getSweep(sweep.id);
    expect(ended).toMatchObject({ status: "failed" });
    expect(ended?.stopReason).toMatch(/^trial #0 cannot run: invalid run config: batchSize/);
    expect(await deps.store.sweepRuns(sweep.id)).toEqual([]);
  });

  it("cancels a sweep's queued trials and proposes no more", async () => {
    const { app, deps } = await open();
    const sweep = (await (
      await app.request("/v1/sweeps", post({ preset: "seed-mlp", trials: 4, parallelism: 2 }))
    ).json()) as SweepView;
    const canceled = (await (
      await app.request(`/v1/sweeps/${sweep.id}/cancel`, { method: "POST" })
    ).json()) as SweepView;
    expect(canceled).toMatchObject({ status: "canceled", stopReason: "canceled by request" });
    const runs = await deps.store.sweepRuns(sweep.id);
    expect(runs.map((r) => r.status)).toEqual(["canceled", "canceled"]);
    await deps.sweeps.tick();
    expect((await deps.store.sweepRuns(sweep.id)).length).toBe(2);
  });
});
