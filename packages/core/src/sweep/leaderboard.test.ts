import { describe, expect, it } from "vitest";
import { bestSoFar, buildLeaderboard, type LeaderboardTrial } from "./leaderboard.ts";

describe("buildLeaderboard", () => {
  it("groups repeats by params (key order aside), ranks by mean and marks configs within seed noise", () => {
    const trials: LeaderboardTrial[] = [
      { id: 1, params: { lr: 0.001, opt: { kind: "adamw", b: 1 } }, value: 0.981 },
      { id: 2, params: { opt: { b: 1, kind: "adamw" }, lr: 0.001 }, value: 0.979 },
      { id: 3, params: { lr: 0.002 }, value: 0.978 },
      { id: 4, params: { lr: 0.002 }, value: 0.976 },
      { id: 5, params: { lr: 0.003 }, value: 0.95 },
      { id: 6, params: { lr: 0.003 }, value: 0.952 },
      { id: 7, params: { lr: 0.1 }, value: null },
    ];
    const board = buildLeaderboard(trials);
    expect(board.map((r) => [r.rank, r.trialIds, r.n, r.failures])).toEqual([
      [1, [1, 2], 2, 0],
      [2, [3, 4], 2, 0],
      [3, [5, 6], 2, 0],
      [4, [7], 0, 1],
    ]);
    expect(board[0]!.mean).toBeCloseTo(0.98, 10);
    expect(board[0]!.std).toBeCloseTo(Math.SQRT2 * 0.001, 10);
    expect(board[1]!.differenceFromBest).toBeCloseTo(-0.003, 10);
    // se = 0.001 each: noise = 2 * sqrt(2e-6) = 0.00283 < 0.003, so the second is just outside it.
    expect(board.map((r) => r.withinNoise)).toEqual([true, false, false, false]);
    expect(board[3]).toMatchObject({ mean: null, std: null, differenceFromBest: null });
  });

  it("lets single-seed configs borrow the pooled std of the repeated ones", () => {
    const trials = [
      { id: "a", params: { w: 1 }, value: 0.9807 },
      { id: "b", params: { w: 2 }, value: 0.9799 },
      { id: "c", params: { w: 3 }, value: 0.97 },
      { id: "d", params: { w: 3 }, value: 0.98 },
    ];
    // Pooled std = sqrt(0.01^2 / 2) = 0.00707: 98.07 and 97.99 cannot be told apart.
    const board = buildLeaderboard(trials);
    expect(board.map((r) => r.key)).toEqual(['{"w":1}', '{"w":2}', '{"w":3}']);
    expect(board[1]!.standardError).toBeCloseTo(0.01 / Math.SQRT2, 10);
    expect(board.map((r) => r.withinNoise)).toEqual([true, true, true]);
  });

  it("falls back to assumedSeedStd when nothing was repeated, and ranks low first when minimising", () => {
    const trials = [
      { id: 1, params: { w: 1 }, value: 0.3 },
      { id: 2, params: { w: 2 }, value: 0.2 },
      { id: 3, params: { w: 3 }, value: 0.25 },
    ];
    const board = buildLeaderboard(trials, { direction: "minimize", assumedSeedStd: 0.02 });
    expect(board.map((r) => r.params.w)).toEqual([2, 3, 1]);
    // noise = 2 * sqrt(2) * 0.02 = 0.0566: 0.05 is within it, 0.1 is not.
    expect(board.map((r) => r.withinNoise)).toEqual([true, true, false]);
  });
});

describe("buildLeaderboard with objectives", () => {
  const trials: LeaderboardTrial[] = [
    // Most accurate and slow; less accurate and fast; beaten on both beyond noise; failed.
    { id: 1, params: { w: 768 }, value: 0.985, results: { validationAccuracy: 0.985, msPerStep: 9 } },
    { id: 2, params: { w: 768 }, value: 0.984, results: { validationAccuracy: 0.984, msPerStep: 9.2 } },
    { id: 3, params: { w: 64 }, value: 0.97, results: { validationAccuracy: 0.97, msPerStep: 2 } },
    { id: 4, params: { w: 64 }, value: 0.971, results: { validationAccuracy: 0.971, msPerStep: 2.1 } },
    { id: 5, params: { w: 512 }, value: 0.96, results: { validationAccuracy: 0.96, msPerStep: 9.5 } },
    { id: 6, params: { w: 512 }, value: 0.961, results: { validationAccuracy: 0.961, msPerStep: 9.6 } },
    { id: 7, params: { w: 1024 }, value: null, results: { validationAccuracy: null, msPerStep: 12 } },
  ];

  it("marks the Pareto front members and keeps the single-metric ranking", () => {
    const board = buildLeaderboard(trials, {
      objectives: [
        { metric: "validationAccuracy", direction: "maximize" },
        { metric: "msPerStep", direction: "minimize" },
      ],
    });
    expect(board.map((r) => [r.params.w, r.rank, r.onFront])).toEqual([
      [768, 1, true],
      [64, 2, true],
      [512, 3, false],
      [1024, 4, false],
    ]);
  });

  it("leaves the entries as they were without objectives", () => {
    const plain = buildLeaderboard(trials.map(({ results: _, ...t }) => t));
    const withResults = buildLeaderboard(trials);
    expect(withResults).toEqual(plain);
    expect(withResults.every((r) => !("onFront" in r))).toBe(true);
  });
});

describe("bestSoFar", () => {
  it("tracks the running best in the metric's direction, skipping trials without a result", () => {
    const values = [null, 0.9, 0.85, null, 0.95, 0.93].map((value) => ({ value }));
    expect(bestSoFar(values)).toEqual([null, 0.9, 0.9, 0.9, 0.95, 0.95]);
    expect(bestSoFar(values, "minimize")).toEqual([null, 0.9, 0.85, 0.85, 0.85, 0.85]);
  });
});
