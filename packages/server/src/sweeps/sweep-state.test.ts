// The incremental sweep state against the full recomputation (report.ts's buildSweepReport, which reads every run
// and every evaluation): after each change a sweep goes through, the leaderboard, best config, importance and trial
// rows are the same; and a refresh reads only what changed.
import { parseRunConfig, type RunEvent } from "@sweeplab/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../store/open.ts";
import type { Store } from "../store/store.ts";
import { DIALECTS, type TestDatabase } from "../test-support/databases.ts";
import { insertLargeSweep } from "../test-support/large-sweep.ts";
import { estimateFinish, finishAt } from "./estimate-finish.ts";
import { buildSweepReport, sweepReport } from "./report.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import type { SweepState } from "./sweep-state.ts";
import { SweepStates } from "./sweep-states.ts";

const W = { id: "w", host: "h" };
const evalAt = (step: number, accuracy: number): RunEvent => ({
  type: "eval",
  step,
  trainLoss: 0.1,
  trainAccuracy: accuracy,
  validationLoss: 1 - accuracy,
  validationAccuracy: accuracy,
  learningRate: 0.001,
});
const finished = (step: number): RunEvent =>
  ({
    type: "finished",
    step,
    testLoss: 0.1,
    testAccuracy: 0.97,
    msPerStep: 3,
    trainSeconds: 1,
    wallSeconds: 1,
  }) as RunEvent;

describe.each(DIALECTS)("the incremental sweep state on $dialect", ({ create }) => {
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

  /** The incremental report (from `states`) and the full one agree on everything derived from the trials. */
  async function expectSameAsFull(states: SweepStates, sweepId: string) {
    const sweep = (await store.getSweep(sweepId))!;
    const incremental = await sweepReport(states, sweep);
    const full = await buildSweepReport(store, sweep);
    expect(incremental.trials).toEqual(full.trials);
    expect(incremental.leaderboard).toEqual(full.leaderboard);
    expect(incremental.best).toEqual(full.best);
    expect(incremental.importance).toEqual(full.importance);
    expect(incremental.pareto).toEqual(full.pareto);
    expect(incremental.plotTrials.map(({ curve: _, ...t }) => t)).toEqual(
      full.plotTrials.map(({ curve: _, ...t }) => t),
    );
    return incremental;
  }

  it("equals the full recomputation after each change, reading only the runs that changed", async () => {
    const { sweepId, runIds, spec } = await insertLargeSweep(store, {
      id: "swp_inc",
      trials: 60,
      evals: 4,
      active: 8,
    });
    const queued = runIds.slice(-8);
    const reads: string[][] = [];
    const counted: Store = new Proxy(store, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key === "sweepRunRows")
          return (id: string, ids: readonly string[]) => {
            reads.push([...ids]);
            return target.sweepRunRows(id, ids);
          };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const states = new SweepStates(counted);
    const first = await expectSameAsFull(states, sweepId);
    expect(first.leaderboard.length).toBe(60);
    expect(reads.splice(0).flat().length).toBe(60);

    // Nothing changed: one fingerprint read, no run read again.
    const sweep = (await store.getSweep(sweepId))!;
    const state = await states.get(sweep);
    const before = state.reads;
    await states.get(sweep);
    expect(state.reads - before).toBe(1);
    expect(reads).toEqual([]);

    // A queued trial trains and succeeds with a better result than every other: the new best.
    await store.claimQueuedRun(W, queued[0]!, 60_000);
    await store.appendEvent(queued[0]!, evalAt(50, 0.9));
    await store.appendEvent(queued[0]!, evalAt(100, 0.999));
    await store.appendEvent(queued[0]!, finished(100));
    const afterBest = await expectSameAsFull(states, sweepId);
    expect(reads.splice(0)).toEqual([[queued[0]]]);
    expect(afterBest.leaderboard[0]!.trialIds).toEqual([queued[0]]);

    // One is canceled, one is pruned while running, one fails: each changes only its own row.
    await store.requestCancel(queued[1]!, "test");
    await store.claimQueuedRun(W, queued[2]!, 60_000);
    await store.appendEvent(queued[2]!, evalAt(50, 0.5));
    await store.appendEvent(queued[2]!, { type: "pruned", step: 50, reason: "test" } as RunEvent);
    await store.claimQueuedRun(W, queued[3]!, 60_000);
    await store.appendEvent(queued[3]!, {
      type: "failed",
      step: 1,
      code: "INTERNAL",
      message: "x",
    } as RunEvent);
    await expectSameAsFull(states, sweepId);
    expect(reads.splice(0).flat().sort()).toEqual([queued[1], queued[2], queued[3]].sort());

    // A succeeded run is deleted, and a queued one is replaced by a new run (same count and event numbers).
    await store.deleteRun(runIds[0]!);
    await store.deleteRun(queued[4]!);
    const params = (await store.getRun(runIds[1]!))!.trial as { params: Record<string, unknown> };
    await new Promise((r) => setTimeout(r, 5));
    await store.createRun({
      id: "run_repeat",
      name: null,
      tags: [],
      config: parseRunConfig(spec.base),
      totalSteps: 1000,
      // The same config as trial 1: the leaderboard groups the two.
      sweep: { sweepId, trialIndex: 60, repeatIndex: 0, trial: { params: params.params, history: [] } },
    });
    await store.claimQueuedRun(W, "run_repeat", 60_000);
    await store.appendEvent("run_repeat", evalAt(100, 0.95));
    await store.appendEvent("run_repeat", finished(100));
    const last = await expectSameAsFull(states, sweepId);
    expect(last.trials.some((t) => t.runId === runIds[0] || t.runId === queued[4])).toBe(false);
    expect(last.leaderboard.find((e) => e.trialIds.includes("run_repeat"))!.n).toBe(2);
    expect(reads.splice(0).flat()).toEqual(["run_repeat"]);
  });

  it("derives a multi-objective sweep's Pareto front as the full recomputation does, reading configs only of runs that newly succeeded", async () => {
    const { sweepId, runIds } = await insertLargeSweep(store, {
      id: "swp_mo",
      trials: 40,
      evals: 3,
      active: 4,
      objectives: [
        { metric: "validationAccuracy", direction: "maximize" },
        { metric: "msPerStep", direction: "minimize" },
      ],
    });
    const queued = runIds.slice(-4);
    const inputs: string[][] = [];
    const counted: Store = new Proxy(store, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key === "sweepRunObjectiveInputs")
          return (id: string, ids: readonly string[]) => {
            inputs.push([...ids]);
            return target.sweepRunObjectiveInputs(id, ids);
          };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const states = new SweepStates(counted);
    const first = await expectSameAsFull(states, sweepId);
    expect(first.pareto).not.toBeNull();
    expect(first.pareto!.configs.some((c) => c.onFront)).toBe(true);
    expect(first.leaderboard.some((e) => e.onFront === true)).toBe(true);
    // Only the succeeded runs' configs are read (failed, pruned and queued runs have no results).
    const succeeded = first.trials.filter((t) => t.status === "succeeded").map((t) => t.runId);
    expect(inputs.splice(0).flat().sort()).toEqual(succeeded.sort());

    // A queued trial succeeds better and faster than every other: it alone is read, and it dominates the front.
    await store.claimQueuedRun(W, queued[0]!, 60_000);
    await store.appendEvent(queued[0]!, evalAt(50, 0.9));
    await store.appendEvent(queued[0]!, evalAt(100, 0.999));
    await store.appendEvent(queued[0]!, { ...finished(100), msPerStep: 0.5 } as RunEvent);
    const after = await expectSameAsFull(states, sweepId);
    expect(inputs.splice(0)).toEqual([[queued[0]]]);
    expect(after.pareto!.configs.filter((c) => c.onFront).map((c) => c.trialIds)).toContainEqual([queued[0]]);

    // A run canceled: no config read, the front unchanged.
    await store.requestCancel(queued[1]!, "test");
    const canceled = await expectSameAsFull(states, sweepId);
    expect(inputs).toEqual([]);
    expect(canceled.pareto).toEqual(after.pareto);
  });

  it("counts each trial repeat by its latest attempt, as the full recomputation does, and keeps every attempt for budgets", async () => {
    const { sweepId, runIds, spec } = await insertLargeSweep(store, {
      id: "swp_att",
      trials: 30,
      evals: 2,
      active: 2,
    });
    const states = new SweepStates(store);
    const before = await expectSameAsFull(states, sweepId);
    // Trial 7 failed in the fixture (every 25th from 7): its re-run is attempt 1, same trial and repeat.
    const failed = before.trials.find((t) => t.status === "failed")!;
    const { trial } = (await store.getRun(failed.runId))!;
    await store.createRun({
      id: "run_attempt",
      name: null,
      tags: [],
      config: parseRunConfig(spec.base),
      totalSteps: 100,
      sweep: {
        sweepId,
        trialIndex: failed.trialIndex,
        repeatIndex: failed.repeatIndex,
        trial,
        attempt: 1,
        retryOf: failed.runId,
      },
    });
    const queued = await expectSameAsFull(states, sweepId);
    const row = queued.trials.find((t) => t.trialIndex === failed.trialIndex)!;
    expect([row.runId, row.attempt, row.retryOf, row.status]).toEqual([
      "run_attempt",
      1,
      failed.runId,
      "queued",
    ]);
    expect(queued.trials.some((t) => t.runId === failed.runId)).toBe(false);
    await store.claimQueuedRun(W, "run_attempt", 60_000);
    await store.appendEvent("run_attempt", evalAt(100, 0.999));
    await store.appendEvent("run_attempt", finished(100));
    const after = await expectSameAsFull(states, sweepId);
    expect(after.leaderboard[0]!.trialIds).toEqual(["run_attempt"]);
    const state = await states.get((await store.getSweep(sweepId))!);
    expect(state.allRuns().length).toBe(runIds.length + 1);
    expect(state.runs().length).toBe(runIds.length);
  });

  it("writes the whole 10,000-trial fixture, and builds its state with the same leaderboard as the full report", async () => {
    const { sweepId, runIds } = await insertLargeSweep(store, { id: "swp_10k" });
    expect(runIds.length).toBe(10_000);
    expect((await store.sweepRunsFingerprint(sweepId)).runs).toBe(10_000);
    const runs = await store.sweepRuns(sweepId);
    const evals = (await store.sweepMetrics(sweepId)).length;
    const count = (status: string) => runs.filter((r) => r.status === status).length;
    expect(count("queued")).toBe(16);
    expect(evals).toBe(count("succeeded") * 20 + count("pruned") * 10);
    const report = await expectSameAsFull(new SweepStates(store), sweepId);
    expect(report.leaderboard.length).toBe(10_000);
  }, 120_000);

  it("keeps a running sweep's pace once per version, and estimates its finish as a read of every run does", async () => {
    const { runIds } = await insertLargeSweep(store, { id: "swp_pace", trials: 40, evals: 2, active: 4 });
    const states = new SweepStates(store);
    const sweep = (await store.getSweep("swp_pace"))!;
    const spec = sweep.spec as SweepSpec;
    const estimateNow = async (state: SweepState) => {
      const now = Date.now();
      const all = await store.sweepRuns("swp_pace");
      expect(finishAt(state.finishPace(sweep), sweep, spec, now)).toBe(estimateFinish(sweep, spec, all, now));
    };
    const state = await states.get(sweep);
    const pace = state.finishPace(sweep);
    expect(pace).not.toBeNull();
    // Not derived again while nothing changed.
    expect(state.finishPace(sweep)).toBe(pace);
    await estimateNow(state);
    // A queued trial canceled: one run fewer waits.
    await store.requestCancel(runIds.at(-1)!, "test");
    const changed = await states.get(sweep);
    expect(changed.finishPace(sweep)).not.toBe(pace);
    expect(changed.finishPace(sweep)!.waiting).toBe(pace!.waiting - 1);
    await estimateNow(changed);
  });

  it("tells a deleted run from its replacement when their count and event numbers match", async () => {
    const { sweepId, runIds, spec } = await insertLargeSweep(store, {
      id: "swp_swap",
      trials: 6,
      evals: 2,
      active: 2,
    });
    const states = new SweepStates(store);
    await expectSameAsFull(states, sweepId);
    const gone = runIds.at(-1)!;
    const { trial } = (await store.getRun(gone))!;
    await store.deleteRun(gone);
    await new Promise((r) => setTimeout(r, 5));
    await store.createRun({
      id: "run_swap",
      name: null,
      tags: [],
      config: parseRunConfig(spec.base),
      totalSteps: 1000,
      sweep: { sweepId, trialIndex: 5, repeatIndex: 0, trial },
    });
    const report = await expectSameAsFull(states, sweepId);
    expect(report.trials.at(-1)!.runId).toBe("run_swap");
  });

  it("hands an event stream only the rows that changed since the version it was given", async () => {
    const { sweepId, runIds } = await insertLargeSweep(store, {
      id: "swp_feed",
      trials: 10,
      evals: 2,
      active: 3,
    });
    const states = new SweepStates(store);
    const sweep = (await store.getSweep(sweepId))!;
    const state = await states.get(sweep);
    const version = state.version;
    expect(state.changedSince(0).length).toBe(10);
    await store.requestCancel(runIds.at(-1)!, "test");
    await states.get(sweep);
    expect(state.changedSince(version).map((r) => [r.runId, r.status])).toEqual([
      [runIds.at(-1), "canceled"],
    ]);
  });
});
