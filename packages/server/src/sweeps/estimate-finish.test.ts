import { describe, expect, it } from "vitest";
import type { RunRecord, SweepRecord } from "../store/store.ts";
import { testSweepSpec } from "../test-support/sweep-spec.ts";
import { estimateFinish } from "./estimate-finish.ts";

const sweep = (over: Partial<SweepRecord> = {}): SweepRecord => ({
  id: "sw",
  name: null,
  status: "running",
  spec: {},
  stopReason: null,
  createdAt: 0,
  finishedAt: null,
  startedAt: 0,
  resumedAt: null,
  retryAt: null,
  ...over,
});

let n = 0;
const run = (status: RunRecord["status"], startedAt: number | null, finishedAt: number | null) =>
  ({
    id: `r${++n}`,
    status,
    trialIndex: n,
    repeatIndex: 0,
    trialAttempt: 0,
    startedAt,
    finishedAt,
  }) as RunRecord;

describe("estimated finish", () => {
  it("spreads what is left at the mean pace of the finished runs over the parallelism", () => {
    // 2 finished runs of 10 s and 20 s (mean 15 s); one trains since 5 s ago (10 s left); one queued; 6 trials
    // planned, so 2 more to propose: 10 + 3 x 15 = 55 s of work over 2 at once = 27.5 s from now.
    const runs = [
      run("succeeded", 0, 10_000),
      run("failed", 0, 20_000),
      run("running", 25_000, null),
      run("queued", null, null),
    ];
    const spec = testSweepSpec({ trials: 6, parallelism: 2 });
    expect(estimateFinish(sweep(), spec, runs, 30_000)).toBe(30_000 + 27_500);
  });

  it("is never later than the wall-clock limit, and null before any run finished or once ended", () => {
    const runs = [run("succeeded", 0, 10_000), run("queued", null, null)];
    const spec = testSweepSpec({ trials: 100, parallelism: 1, budget: { wallClockSeconds: 60 } });
    expect(estimateFinish(sweep({ startedAt: 5_000 }), spec, runs, 20_000)).toBe(65_000);
    expect(estimateFinish(sweep(), spec, [run("queued", null, null)], 20_000)).toBeNull();
    expect(estimateFinish(sweep({ status: "succeeded" }), spec, runs, 20_000)).toBeNull();
  });

  it("counts no more runs to start than the trial budget allows", () => {
    // 1 finished (10 s), budget 2 runs: 1 more at most, though 10 trials are planned.
    const runs = [run("succeeded", 0, 10_000)];
    const spec = testSweepSpec({ trials: 10, parallelism: 1, budget: { maxTrials: 2 } });
    expect(estimateFinish(sweep(), spec, runs, 10_000)).toBe(20_000);
  });

  it("plans one run per config with adaptive repeats (racing's further seeds are not known ahead)", () => {
    // 1 finished (10 s) of 4 configs, up to 3 seeds each: 3 more runs planned, not 11.
    const runs = [run("succeeded", 0, 10_000)];
    const spec = testSweepSpec({ trials: 4, parallelism: 1, repeats: 3, adaptiveRepeats: true });
    expect(estimateFinish(sweep(), spec, runs, 10_000)).toBe(10_000 + 30_000);
  });
});
