import type { Sweep } from "@sweeplab/sdk";
import { describe, expect, it } from "vitest";
import { leaderboardTable } from "./sweep-table.ts";

const sgd = {
  batchSize: 256,
  optimizer: { kind: "sgd", momentum: 0.9 },
  sgdLearningRate: 0.151,
  activation: "silu",
};
const adamw = { batchSize: 128, optimizer: { kind: "adamw" }, adamwLearningRate: 0.0018, activation: "relu" };

function entry(
  rank: number,
  params: Record<string, unknown>,
  mean: number | null,
  extra: object = {},
): Sweep["leaderboard"][number] {
  return {
    rank,
    key: JSON.stringify(params),
    params,
    trialIds: [`run_${rank}`],
    values: mean === null ? [] : [mean],
    n: mean === null ? 0 : 1,
    failures: mean === null ? 1 : 0,
    mean,
    std: null,
    standardError: null,
    differenceFromBest: null,
    withinNoise: rank === 1,
    ...extra,
  };
}

/** Only what the table reads. */
const sweep = (over: Partial<Sweep>) =>
  ({ metric: "validationAccuracy", stopReason: null, trialRuns: [], leaderboard: [], ...over }) as Sweep;

describe("the leaderboard table", () => {
  it("ranks configs in aligned columns, one line each without a width", () => {
    const table = leaderboardTable(
      sweep({
        leaderboard: [entry(1, sgd, 0.9642), entry(2, adamw, 0.9561, { withinNoise: true })],
      }),
    );
    expect(table.split("\n")).toEqual([
      "rank  val acc  n  params",
      "   1* 96.42 %  1  batchSize=256 optimizer=sgd sgdLearningRate=0.151 activation=silu",
      "   2~ 95.61 %  1  batchSize=128 optimizer=adamw adamwLearningRate=0.00180 activation=relu",
      "* best  ~ within seed noise of the best (2 standard errors of the difference)",
    ]);
  });

  it("wraps a config's parameters under one another to fit a terminal's width", () => {
    const table = leaderboardTable(sweep({ leaderboard: [entry(1, adamw, 0.9561)] }), 79);
    expect(table.split("\n").slice(1, 3)).toEqual([
      "   1* 95.61 %  1  batchSize=128 optimizer=adamw adamwLearningRate=0.00180",
      "                  activation=relu",
    ]);
    for (const line of table.split("\n")) expect(line.length).toBeLessThanOrEqual(79);
  });

  it("says why a config has no result and marks no best when none has one", () => {
    const table = leaderboardTable(
      sweep({
        stopReason: "canceled by request",
        leaderboard: [entry(1, adamw, null)],
        trialRuns: [
          {
            trialIndex: 0,
            repeatIndex: 0,
            runId: "run_1",
            status: "canceled",
            params: adamw,
            value: null,
            step: 100,
            totalSteps: 2000,
            msPerStep: null,
            error: "CANCELED: canceled",
          },
        ],
      }),
    );
    expect(table.split("\n").slice(1)).toEqual([
      "   1  -        0  batchSize=128 optimizer=adamw adamwLearningRate=0.00180 activation=relu (1 canceled)",
      "no trial has a result",
      "stopped: canceled by request",
    ]);
  });
});
