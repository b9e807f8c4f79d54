import { describe, expect, it } from "vitest";
import {
  bestSoFar,
  bestTrial,
  configsKey,
  markdownTable,
  meanCurve,
  perHour,
  quarterPoints,
  totalTrainedSteps,
} from "./sweep-figures.ts";

const trial = (trialIndex: number, value: number | null, step = 1000, status = "succeeded") => ({
  trialIndex,
  value,
  step,
  status,
  params: { lr: trialIndex },
});

describe("sweep figures", () => {
  it("adds the steps every trial trained, pruned ones at their rung", () => {
    expect(
      totalTrainedSteps([trial(0, 0.9), trial(1, null, 125, "pruned"), trial(2, null, 375, "pruned")]),
    ).toBe(1500);
  });

  it("keeps the best value so far in trial order, whatever order the trials come in", () => {
    expect(bestSoFar([trial(2, 0.95), trial(0, null), trial(1, 0.97), trial(3, 0.96)])).toEqual([
      null,
      0.97,
      0.97,
      0.97,
    ]);
  });

  it("averages best-so-far curves position by position over the seeds that have a value there", () => {
    const mean = meanCurve([
      [0.9, 0.95, 0.96],
      [null, 0.93, 0.98],
      [0.8, 0.8],
    ]);
    expect(mean[0]).toBeCloseTo(0.85, 12);
    expect(mean[1]).toBeCloseTo((0.95 + 0.93 + 0.8) / 3, 12);
    expect(mean[2]).toBeCloseTo(0.97, 12);
    expect(meanCurve([[null], [null]])).toEqual([null]);
  });

  it("picks the best trial by value, the earlier on a tie, none without values", () => {
    expect(bestTrial([trial(0, 0.97), trial(1, 0.98), trial(2, 0.98), trial(3, null)])?.trialIndex).toBe(1);
    expect(bestTrial([trial(0, null)])).toBeUndefined();
  });

  it("gives the same configs key whatever the trial order and parameter key order", () => {
    const a = [
      { trialIndex: 1, params: { b: 2, a: { y: 1, x: 0 } } },
      { trialIndex: 0, params: { a: 1 } },
    ];
    const b = [
      { trialIndex: 0, params: { a: 1 } },
      { trialIndex: 1, params: { a: { x: 0, y: 1 }, b: 2 } },
    ];
    expect(configsKey(a)).toBe(configsKey(b));
    expect(configsKey(a)).not.toBe(configsKey([{ trialIndex: 0, params: { a: 2 } }]));
  });

  it("rates per hour and places curve points at quarters", () => {
    expect(perHour(10, 1800)).toBe(20);
    expect(quarterPoints(16)).toEqual([4, 8, 12, 16]);
    expect(quarterPoints(3)).toEqual([1, 2, 3]);
  });

  it("draws a markdown table with numeric columns right-aligned", () => {
    expect(
      markdownTable(
        ["way", "wall"],
        [
          ["a", "1.5 s"],
          ["bb", "12.0 s"],
        ],
      ),
    ).toBe("| way |   wall |\n| --- | -----: |\n| a   |  1.5 s |\n| bb  | 12.0 s |");
  });
});
