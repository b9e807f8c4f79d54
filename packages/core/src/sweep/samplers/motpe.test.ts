import { describe, expect, it } from "vitest";
import type { Direction } from "../direction.ts";
import { hypervolume } from "../hypervolume.ts";
import { gridStudy, SAMPLER_SPACE as space, sweepSynthetic, WIDTHS } from "../synthetic.ts";
import { type MultiObjectiveTrial, motpeScores, nonDominatedRanks, proposeMotpe } from "./motpe.ts";
import { proposeTrial } from "./propose.ts";
import { proposeRandom } from "./random.ts";

const directions: Direction[] = ["maximize", "minimize"];
const sweep = (seed: number, trials: number) => sweepSynthetic(seed, trials, "motpe");

describe("proposeMotpe", () => {
  it("is a pure function of (seed, trial index, history): history order and asking twice do not matter", () => {
    const history = sweep(3, 15);
    const next = (h: readonly MultiObjectiveTrial[]) =>
      proposeMotpe({ space, seed: 3, trialIndex: 15, history: h, directions }).params;
    expect(next([...history].reverse())).toEqual(next(history));
    expect(sweep(3, 15)).toEqual(history);
    expect(next(history)).not.toEqual(
      proposeMotpe({ space, seed: 4, trialIndex: 15, history, directions }).params,
    );
    // Startup trials are random search's.
    expect(history[0]!.params).toEqual(proposeRandom({ space, seed: 3, trialIndex: 0 }).params);
  });

  it("reaches 95 % of the grid's hypervolume with a third of the grid's trials (mean over 3 seeds), beating random", () => {
    const { points, front, reference, volume } = gridStudy();
    expect(front).toHaveLength(WIDTHS.length);
    const budget = Math.floor(points.length / 3);
    const ratio = (trials: MultiObjectiveTrial[]) =>
      hypervolume(
        trials.map((t) => t.values as number[]),
        directions,
        reference,
      ) / volume;
    const seeds = [0, 1, 2];
    const motpe = seeds.map((seed) => ratio(sweep(seed, budget)));
    const random = seeds.map((seed) => ratio(sweepSynthetic(seed, budget, "random")));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(motpe)).toBeGreaterThanOrEqual(0.95);
    expect(mean(motpe)).toBeGreaterThan(mean(random));
  });
});

describe("nonDominatedRanks", () => {
  it("peels fronts: equal points share a rank, a point beaten by a rank-1 point is rank 2", () => {
    const points = [
      [3, 1],
      [1, 1],
      [1, 3],
      [0, 0],
      [2, 2],
      [1, 1],
      [0.5, 3],
    ];
    expect(nonDominatedRanks(points, ["maximize", "maximize"])).toEqual([0, 1, 0, 2, 0, 1, 1]);
    expect(nonDominatedRanks(points, ["minimize", "minimize"])).toEqual([2, 1, 2, 0, 2, 1, 1]);
  });
});

describe("motpeScores", () => {
  it("orders by non-dominated rank, then by hypervolume share within the rank; failures score null", () => {
    const trial = (trialIndex: number, values: number[] | null) => ({ trialIndex, params: {}, values });
    const scores = motpeScores(
      [trial(0, [0.9, 5]), trial(1, [0.95, 10]), trial(2, [0.92, 5.5]), trial(3, [0.85, 9]), trial(4, null)],
      directions,
    );
    expect(scores.map((s) => s.trialIndex)).toEqual([0, 1, 2, 3, 4]);
    const value = (i: number) => scores[i]!.value!;
    // Ranks: 0, 1, 2 on the front; 3 dominated by 0.
    expect(Math.min(value(0), value(1), value(2))).toBeGreaterThan(value(3));
    expect(value(3)).toBeLessThanOrEqual(-1);
    expect(scores[4]!.value).toBeNull();
    // Against (0.895, 10.5): exclusive areas 0.005 x 0.5, 0.03 x 0.5 and 0.02 x 4.5; the largest scores 0.5.
    expect(value(2)).toBeCloseTo(0.5, 12);
    expect(value(1)).toBeCloseTo((0.5 * 0.015) / 0.09, 9);
    expect(value(0)).toBeCloseTo((0.5 * 0.0025) / 0.09, 9);
  });
});

describe("proposeTrial with method motpe", () => {
  it("proposes MOTPE's config from the objectives' history, and refuses a single objective", () => {
    const history = sweep(5, 12);
    const input = { space, seed: 5, trialIndex: 12 };
    expect(proposeTrial("motpe", input, {}, { history, directions }).params).toEqual(
      proposeMotpe({ ...input, history, directions }).params,
    );
    expect(() => proposeTrial("motpe", input)).toThrow(/motpe searches two or more objectives \(got 0\)/);
    expect(() => proposeTrial("motpe", input, {}, { history, directions: ["maximize"] })).toThrow(
      /\(got 1\)/,
    );
  });
});
