// `repeats: "auto"` through the API and the scheduler: one seed per config, then further seeds only for configs whose
// interval overlaps the best's, until racing settles; trial runs finished the fast way (no training).
import { describe, expect, it } from "vitest";
import type { RunRecord } from "../store/store.ts";
import { DIALECTS } from "../test-support/databases.ts";
import { useDialectApps } from "../test-support/dialect-apps.ts";
import { finishRun } from "../test-support/finish-run.ts";

const post = (body: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
const space = {
  parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [16, 32, 64, 128] }],
};
const batchOf = (run: RunRecord) => (run.trial as { params: { batch: number } }).params.batch;
const seedOf = (run: RunRecord) => (run.config as { seed: number }).seed;

describe.each(DIALECTS)("adaptive repeats on $dialect", ({ create }) => {
  const open = useDialectApps(create);

  it("launches further seeds only for configs within noise of the best, then ends", async () => {
    const { app, deps } = await open();
    const response = await app.request(
      "/v1/sweeps",
      post({ space, method: "grid", repeats: "auto", maxRepeats: 3, parallelism: 4, base: { steps: 20 } }),
    );
    expect(response.status).toBe(202);
    const sweep = (await response.json()) as { id: string; repeats: number; adaptiveRepeats: boolean };
    expect(sweep).toMatchObject({ repeats: 3, adaptiveRepeats: true });
    const runs = () => deps.store.sweepRuns(sweep.id);
    // Round 1: one seed per config. 16 and 32 are within noise of each other (the assumed seed std 0.0015 gives a
    // band of 0.0042); 64 and 128 are beaten beyond it.
    const first = await runs();
    expect(first.map((r) => [batchOf(r), r.repeatIndex])).toEqual([
      [16, 0],
      [32, 0],
      [64, 0],
      [128, 0],
    ]);
    const round1: Record<number, number> = { 16: 0.98, 32: 0.9795, 64: 0.95, 128: 0.9 };
    for (const run of first)
      await finishRun(deps.store, run.id, { validationAccuracy: round1[batchOf(run)]!, msPerStep: 5 });
    await deps.sweeps.tick();
    const second = (await runs()).filter((r) => r.status === "queued");
    expect(second.map((r) => [batchOf(r), r.repeatIndex, seedOf(r)])).toEqual([
      [16, 1, 1],
      [32, 1, 1],
    ]);
    expect((await deps.store.getSweep(sweep.id))?.status).toBe("running");
    // Round 2: 16 stays steady, 32 falls away beyond noise (pooled std about 0.0003): racing stops, the sweep ends.
    const round2: Record<number, number> = { 16: 0.9802, 32: 0.979 };
    for (const run of second)
      await finishRun(deps.store, run.id, { validationAccuracy: round2[batchOf(run)]!, msPerStep: 5 });
    await deps.sweeps.tick();
    expect((await runs()).length).toBe(6);
    expect((await deps.store.getSweep(sweep.id))?.status).toBe("succeeded");
    const view = (await (await app.request(`/v1/sweeps/${sweep.id}`)).json()) as {
      leaderboard: { params: { batch: number }; n: number }[];
    };
    expect(view.leaderboard.map((e) => [e.params.batch, e.n])).toEqual([
      [16, 2],
      [32, 2],
      [64, 1],
      [128, 1],
    ]);
  });

  it("gives a contested config no more than maxRepeats seeds", async () => {
    const { deps, app } = await open();
    const response = await app.request(
      "/v1/sweeps",
      post({
        space,
        method: "grid",
        trials: 2,
        repeats: "auto",
        maxRepeats: 2,
        parallelism: 2,
        base: { steps: 20 },
      }),
    );
    const { id } = (await response.json()) as { id: string };
    for (let round = 0; round < 5; round++) {
      const queued = (await deps.store.sweepRuns(id)).filter((r) => r.status === "queued");
      for (const run of queued)
        await finishRun(deps.store, run.id, { validationAccuracy: 0.98, msPerStep: 5 });
      await deps.sweeps.tick();
    }
    const all = await deps.store.sweepRuns(id);
    expect(all.map((r) => [batchOf(r), r.repeatIndex])).toEqual([
      [16, 0],
      [16, 1],
      [32, 0],
      [32, 1],
    ]);
    expect((await deps.store.getSweep(id))?.status).toBe("succeeded");
  });
});
