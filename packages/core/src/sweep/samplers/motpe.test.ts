import { describe, expect, it } from "vitest";
import type { Direction } from "../direction.ts";
import { hypervolume } from "../hypervolume.ts";
import { parseSearchSpace, type TrialParams } from "../space.ts";
import { gridPoints } from "./grid.ts";
import { type MultiObjectiveTrial, motpeScores, nonDominatedRanks, proposeMotpe } from "./motpe.ts";
import { proposeRandom } from "./random.ts";

const WIDTHS = [16, 32, 64, 96, 128, 192, 256, 384, 512, 768];
const RATES = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2, 5e-2];
const space = parseSearchSpace({
  parameters: [
    { name: "width", path: "model.width", type: "categorical", values: WIDTHS },
    { name: "lr", path: "optimizer.learningRate", type: "log-uniform", low: 1e-4, high: 5e-2, values: RATES },
  ],
});
const directions: Direction[] = ["maximize", "minimize"];
/** Accuracy grows with width and peaks at lr 3e-3; time per step grows with width alone. */
const evaluate = (p: TrialParams) => {
  const width = p.width as number;
  const lr = p.lr as number;
  return [0.99 - 0.3 / Math.sqrt(width) - 0.05 * Math.log10(lr / 3e-3) ** 2, 1 + width / 50];
};

function sweep(seed: number, trials: number): MultiObjectiveTrial[] {
  const history: MultiObjectiveTrial[] = [];
  for (let i = 0; i < trials; i++) {
    const { params } = proposeMotpe({ space, seed, trialIndex: i, history, directions });
    history.push({ trialIndex: i, params, values: evaluate(params) });
  }
  return history;
}

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
    const grid = gridPoints(space).map(evaluate);
    const ranks = nonDominatedRanks(grid, directions);
    const front = grid.filter((_, i) => ranks[i] === 0);
    expect(front).toHaveLength(WIDTHS.length);
    // Reference: the front's worst values, 10 % of its range further out.
    const span = (k: number) => Math.max(...front.map((v) => v[k]!)) - Math.min(...front.map((v) => v[k]!));
    const reference = [
      Math.min(...front.map((v) => v[0]!)) - 0.1 * span(0),
      Math.max(...front.map((v) => v[1]!)) + 0.1 * span(1),
    ];
    const gridVolume = hypervolume(grid, directions, reference);
    const budget = Math.floor(grid.length / 3);
    const ratio = (points: number[][]) => hypervolume(points, directions, reference) / gridVolume;
    const seeds = [0, 1, 2];
    const motpe = seeds.map((seed) => ratio(sweep(seed, budget).map((t) => t.values as number[])));
    const random = seeds.map((seed) =>
      ratio(
        Array.from({ length: budget }, (_, i) =>
          evaluate(proposeRandom({ space, seed, trialIndex: i }).params),
        ),
      ),
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(motpe)).toBeGreaterThanOrEqual(0.95);
    expect(mean(motpe)).toBeGreaterThan(mean(random));
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
