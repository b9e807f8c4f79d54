import { proposeRandom } from "@sweeplab/core";
import { describe, expect, it, vi } from "vitest";
import type { Logger } from "../log.ts";
import { type Store, StoreConflictError } from "../store/store.ts";
import { DIALECTS } from "../test-support/databases.ts";
import { useDialectApps } from "../test-support/dialect-apps.ts";
import { claim, endTrial, queuedRuns } from "../test-support/fake-trials.ts";
import { testSweepSpec } from "../test-support/sweep-spec.ts";
import { latestAttempts } from "./attempts.ts";
import { SweepScheduler } from "./scheduler.ts";

const quietLog = () =>
  ({ error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() }) as unknown as Logger;

/** Random search over 3 batch sizes and 4 seeds: trial i's params depend on (seed, i) alone. */
const spec = (over: Parameters<typeof testSweepSpec>[0] = {}) =>
  testSweepSpec({
    method: "random",
    space: {
      parameters: [
        { name: "batch", path: "batchSize", type: "categorical", values: [16, 32, 64] },
        { name: "seed", path: "seed", type: "categorical", values: [100, 200, 300, 400] },
      ],
    },
    ...over,
  });

/** Finishes every queued run of the sweep (value 0.5 + trial index / 100), then runs a scheduler pass. */
async function finishQueued(store: Store, scheduler: { tick(): Promise<void> }, sweepId: string) {
  for (const run of await queuedRuns(store, sweepId))
    await endTrial(store, run, { value: 0.5 + (run.trialIndex ?? 0) / 100 });
  await scheduler.tick();
}

const slots = (runs: { trialIndex: number | null; status: string }[]) =>
  runs.map((r) => [r.trialIndex, r.status]);

describe.each(DIALECTS)("sweep lifecycle through the scheduler on $dialect", ({ create }) => {
  const open = useDialectApps(create);

  it("a sweep canceled half way and resumed ends with every trial once, succeeded ones never re-run", async () => {
    const { deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await store.createSweep({
      id: "swp_resume",
      name: null,
      spec: spec({ trials: 4, parallelism: 2 }),
    });
    await sweeps.tick();
    const [first, second] = await store.sweepRuns(sweep.id);
    await endTrial(store, first!, { value: 0.9 });
    await store.claimQueuedRun({ id: "fake-worker", host: "test" }, second!.id, 60_000);
    await sweeps.tick();
    // Trial 0 succeeded, trial 1 trains, trial 2 is queued: cancel the sweep half way.
    expect(slots(await store.sweepRuns(sweep.id))).toEqual([
      [0, "succeeded"],
      [1, "running"],
      [2, "queued"],
    ]);
    await sweeps.end((await store.getSweep(sweep.id))!, "canceled", "canceled by request");
    // Trial 1's worker has not stopped yet: the resume waits for it.
    await expect(store.reopenSweep(sweep.id, { action: "resume" })).rejects.toMatchObject({
      code: "SWEEP_STOPPING",
    });
    await endTrial(store, { id: second!.id, status: "running" }, "canceled");
    const resumed = await store.reopenSweep(sweep.id, { action: "resume" });
    expect(resumed).toMatchObject({ status: "running", stopReason: null, finishedAt: null });
    await sweeps.tick();
    // The canceled trials 1 and 2 run again (parallelism 2): new attempts, linked to the runs they re-run.
    const again = await queuedRuns(store, sweep.id);
    expect(again.map((r) => [r.trialIndex, r.trialAttempt])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const before = await store.sweepRuns(sweep.id);
    for (const run of again) {
      const old = before.find((r) => r.trialIndex === run.trialIndex && r.trialAttempt === 0)!;
      expect(run.retryOf).toBe(old.id);
      expect(run.config).toEqual(old.config);
      expect(run.trial).toEqual(old.trial);
    }
    await finishQueued(store, sweeps, sweep.id);
    await finishQueued(store, sweeps, sweep.id);
    expect(await store.getSweep(sweep.id)).toMatchObject({ status: "succeeded", stopReason: null });
    const all = await store.sweepRuns(sweep.id);
    // Every trial once by its latest attempt, all succeeded; trial 0 never ran again; the canceled runs are kept.
    expect(slots(latestAttempts(all))).toEqual([
      [0, "succeeded"],
      [1, "succeeded"],
      [2, "succeeded"],
      [3, "succeeded"],
    ]);
    expect(all.filter((r) => r.trialIndex === 0)).toHaveLength(1);
    expect(all.filter((r) => r.status === "canceled").map((r) => r.trialIndex)).toEqual([1, 2]);
  });

  it("retries failed trials as new attempts with the same config and seed, the trial counted once", async () => {
    const { deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await store.createSweep({
      id: "swp_retry",
      name: null,
      spec: spec({ trials: 2, parallelism: 2, repeats: 2 }),
    });
    await sweeps.tick();
    const runs = await store.sweepRuns(sweep.id);
    await endTrial(store, runs[0]!, { value: 0.8 });
    await endTrial(store, runs[1]!, "failed");
    await endTrial(store, runs[2]!, { value: 0.7 });
    await endTrial(store, runs[3]!, { value: 0.7 });
    await sweeps.tick();
    expect((await store.getSweep(sweep.id))?.status).toBe("succeeded");
    await store.reopenSweep(sweep.id, { action: "retry" });
    await sweeps.tick();
    const [retry, ...rest] = await queuedRuns(store, sweep.id);
    expect(rest).toEqual([]);
    expect(retry).toMatchObject({ trialIndex: 0, repeatIndex: 1, trialAttempt: 1, retryOf: runs[1]!.id });
    expect(retry!.config).toEqual(runs[1]!.config);
    const seedOf = (run: { config: unknown }) => (run.config as { seed: number }).seed;
    expect(seedOf(retry!)).toBe(seedOf(runs[0]!) + 1);
    await finishQueued(store, sweeps, sweep.id);
    expect(await store.getSweep(sweep.id)).toMatchObject({ status: "succeeded" });
    expect(slots(latestAttempts(await store.sweepRuns(sweep.id)))).toEqual([
      [0, "succeeded"],
      [0, "succeeded"],
      [1, "succeeded"],
      [1, "succeeded"],
    ]);
  });

  it("extends a finished sweep: indices continue and the sampler's seed stream with them", async () => {
    const { deps } = await open();
    const { store, sweeps } = deps;
    const sweepSpec = spec({ trials: 2, parallelism: 2, seed: 11 });
    const sweep = await store.createSweep({ id: "swp_extend", name: null, spec: sweepSpec });
    await sweeps.tick();
    await finishQueued(store, sweeps, sweep.id);
    expect((await store.getSweep(sweep.id))?.status).toBe("succeeded");
    const extended = await store.reopenSweep(sweep.id, { action: "extend", trials: 2 });
    expect(extended).toMatchObject({ status: "running", spec: { trials: 4 } });
    await sweeps.tick();
    const added = await queuedRuns(store, sweep.id);
    expect(added.map((r) => r.trialIndex)).toEqual([2, 3]);
    for (const run of added) {
      const { params } = proposeRandom({
        space: sweepSpec.space,
        base: sweepSpec.base,
        seed: 11,
        trialIndex: run.trialIndex!,
      });
      expect((run.trial as { params: unknown }).params).toEqual(params);
    }
    await finishQueued(store, sweeps, sweep.id);
    expect((await store.getSweep(sweep.id))?.status).toBe("succeeded");
  });

  it("a wall-clock budget stops the sweep at the first pass past its limit, canceling what trains (5 minutes, scaled clock)", async () => {
    const { deps } = await open();
    const { store } = deps;
    // The must-show "5-minute budget", on a clock the test moves: a pass every 5 s of it, each fake trial taking
    // two (claimed at one, finished at the next; the pass at 302.5 s finds one training). The rule: no pass before
    // the limit stops the sweep; the first one at or past it does, and cancels the trial training then.
    const intervalMs = 5_000;
    let clock = 0;
    const scheduler = new SweepScheduler(store, deps.runs, quietLog(), intervalMs, 0, () => clock);
    const sweep = await store.createSweep({
      id: "swp_budget",
      name: null,
      spec: spec({ trials: 1000, parallelism: 1, budget: { wallClockSeconds: 300 } }),
    });
    const start = sweep.startedAt!;
    const passes: number[] = [];
    for (clock = start + 7_500; (await store.getSweep(sweep.id))?.status === "running"; clock += intervalMs) {
      passes.push(clock - start);
      const runs = await store.sweepRuns(sweep.id);
      for (const run of runs.filter((r) => r.status === "running"))
        await endTrial(store, run, { value: 0.5 });
      for (const run of runs.filter((r) => r.status === "queued")) await claim(store, run.id);
      await scheduler.tick();
    }
    const stopped = (await store.getSweep(sweep.id))!;
    const stopAt = passes.at(-1)!;
    expect(stopped.status).toBe("succeeded");
    expect(stopped.stopReason).toBe(
      "budget: wall clock of 300 s spent (stopped 302.500 s after the sweep started; its training trials were canceled)",
    );
    // Stopped by the first pass at or past 300 s, within one interval of the limit; the one before it went on.
    expect(stopAt).toBeGreaterThanOrEqual(300_000);
    expect(stopAt - 300_000).toBeLessThan(intervalMs);
    expect(passes.at(-2)!).toBeLessThan(300_000);
    // The trial training at the stop is asked to cancel (its worker stops at its next step), not left to finish.
    const runs = await store.sweepRuns(sweep.id);
    expect(runs.at(-1)).toMatchObject({ status: "running", cancelRequested: true });
    expect(runs.slice(0, -1).every((r) => r.status === "succeeded")).toBe(true);
  });

  it("a trial budget starts no run past its limit and ends the sweep with the reason once they finish", async () => {
    const { deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await store.createSweep({
      id: "swp_max_trials",
      name: null,
      spec: spec({ trials: 10, parallelism: 2, budget: { maxTrials: 3 } }),
    });
    await sweeps.tick();
    await finishQueued(store, sweeps, sweep.id);
    expect(await store.sweepRuns(sweep.id)).toHaveLength(3);
    expect((await store.getSweep(sweep.id))?.status).toBe("running");
    await finishQueued(store, sweeps, sweep.id);
    expect(await store.sweepRuns(sweep.id)).toHaveLength(3);
    expect(await store.getSweep(sweep.id)).toMatchObject({
      status: "succeeded",
      stopReason: "budget: limit of 3 trial runs reached",
    });
  });

  it("a resumed failed sweep judges only the failures after the resume", async () => {
    const { deps } = await open();
    const { store, sweeps } = deps;
    const sweep = await store.createSweep({
      id: "swp_failed",
      name: null,
      spec: spec({ trials: 3, parallelism: 1, maxConsecutiveFailures: 1 }),
    });
    await sweeps.tick();
    await endTrial(store, (await queuedRuns(store, sweep.id))[0]!, "failed");
    await sweeps.tick();
    expect((await store.getSweep(sweep.id))?.status).toBe("failed");
    await store.reopenSweep(sweep.id, { action: "resume" });
    await sweeps.tick();
    // The failed trial is not re-run (retry does that); the sweep goes on with trial 1.
    expect((await queuedRuns(store, sweep.id)).map((r) => r.trialIndex)).toEqual([1]);
    expect((await store.getSweep(sweep.id))?.status).toBe("running");
  });

  it("refuses to resume a running sweep", async () => {
    const { deps } = await open();
    const sweep = await deps.store.createSweep({ id: "swp_running", name: null, spec: spec() });
    const refusal = await deps.store.reopenSweep(sweep.id, { action: "resume" }).catch((e) => e);
    expect(refusal).toBeInstanceOf(StoreConflictError);
    expect(refusal.code).toBe("SWEEP_ACTIVE");
    expect(await deps.store.reopenSweep("swp_missing", { action: "resume" })).toBeUndefined();
  });
});
