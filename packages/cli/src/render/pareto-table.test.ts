import type { Sweep } from "@sweeplab/sdk";
import { describe, expect, it } from "vitest";
import { paretoTable } from "./pareto-table.ts";
import { leaderboardTable } from "./sweep-table.ts";

const pareto: NonNullable<Sweep["pareto"]> = {
  objectives: [
    { metric: "validationAccuracy", direction: "maximize" },
    { metric: "msPerStep", direction: "minimize" },
  ],
  configsScored: 5,
  front: [
    {
      key: '{"width":128}',
      params: { width: 128 },
      trialIds: ["run_a"],
      n: 1,
      means: [0.97, 3.5],
      standardErrors: [0.0015, 0.5],
      intervals: [
        [0.967, 0.973],
        [2.5, 4.5],
      ],
    },
    {
      key: '{"width":512}',
      params: { width: 512 },
      trialIds: ["run_b", "run_c"],
      n: 2,
      means: [0.981, 9.25],
      standardErrors: [0.001, 0.25],
      intervals: [
        [0.979, 0.983],
        [8.75, 9.75],
      ],
    },
  ],
};

describe("the Pareto front table", () => {
  it("lists the front best first on the first objective, each mean with its half interval, then n and params", () => {
    expect(paretoTable(pareto).split("\n")).toEqual([
      "Pareto front: 2 of 5 configs (none beaten beyond seed noise on every objective)",
      "val acc ↑         ms/step ↓    n  params",
      "98.10 % ± 0.20 %  9.25 ± 0.50  2  width=512",
      "97.00 % ± 0.30 %  3.50 ± 1.00  1  width=128",
    ]);
  });

  it("marks front members in the leaderboard with P, only for a multi-objective sweep", () => {
    const entry = (rank: number, width: number, onFront: boolean) => ({
      rank,
      key: `{"width":${width}}`,
      params: { width },
      trialIds: [`run_${rank}`],
      values: [0.98 - rank / 100],
      n: 1,
      failures: 0,
      mean: 0.98 - rank / 100,
      std: null,
      standardError: null,
      differenceFromBest: null,
      withinNoise: rank === 1,
      onFront,
    });
    const sweep = {
      metric: "validationAccuracy",
      stopReason: null,
      trialRuns: [],
      leaderboard: [entry(1, 512, true), entry(2, 64, false)],
    } as unknown as Sweep;
    const lines = leaderboardTable({ ...sweep, pareto }).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "rank   val acc  n  params",
      "   1*P 97.00 %  1  width=512",
      "   2   96.00 %  1  width=64",
    ]);
    expect(lines.at(-1)).toMatch(/P on the Pareto front$/);
    expect(leaderboardTable(sweep).split("\n")[1]).toBe("   1* 97.00 %  1  width=512");
  });
});
