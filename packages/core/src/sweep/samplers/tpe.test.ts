import { describe, expect, it } from "vitest";
import { parseSearchSpace, type TrialParams } from "../space.ts";
import { proposeRandom } from "./random.ts";
import type { CompletedTrial, ProposeInput } from "./sampler.ts";
import { CONDITIONAL_OPTIMIZER } from "./sampler-fixtures.ts";
import { proposeTpe, splitTrials } from "./tpe.ts";

const oneD = parseSearchSpace({
  parameters: [{ name: "x", path: "optimizer.beta1", type: "uniform", low: 0, high: 10 }],
});
const objective = (p: TrialParams) => -(((p.x as number) - 7.3) ** 2);

function runSweep(propose: (input: ProposeInput) => { params: TrialParams }, seed: number, trials: number) {
  const history: CompletedTrial[] = [];
  for (let i = 0; i < trials; i++) {
    const { params } = propose({ space: oneD, seed, trialIndex: i, history, direction: "maximize" });
    history.push({ trialIndex: i, params, value: objective(params) });
  }
  return history;
}

describe("proposeTpe", () => {
  it("concentrates proposals near the optimum far more than random search after the startup trials", () => {
    const nearShare = (propose: typeof proposeRandom) => {
      let near = 0;
      let total = 0;
      for (let seed = 0; seed < 5; seed++) {
        for (const t of runSweep(propose, seed, 50).slice(10)) {
          total++;
          if (Math.abs((t.params.x as number) - 7.3) < 0.5) near++;
        }
      }
      return near / total;
    };
    const random = nearShare(proposeRandom);
    const tpe = nearShare((input) => proposeTpe(input));
    // The window is a tenth of the range: random search lands there about 10 % of the time.
    expect(random).toBeLessThan(0.15);
    expect(tpe).toBeGreaterThan(0.3);
    expect(tpe).toBeGreaterThan(3 * random);
  });

  it("proposes exactly what random search does during the startup trials", () => {
    const history = runSweep(proposeRandom, 4, 9);
    expect(proposeTpe({ space: oneD, seed: 4, trialIndex: 9, history }).params).toEqual(
      proposeRandom({ space: oneD, seed: 4, trialIndex: 9 }).params,
    );
  });

  it("draws its candidates from l: good trials clustered at 2 pull the proposal there, whatever the direction says", () => {
    const history: CompletedTrial[] = [
      ...[1.9, 2.0, 2.1].map((x, i) => ({ trialIndex: i, params: { x }, value: 1 })),
      ...[0.2, 4, 5, 6, 7, 8, 9, 9.5, 3.3, 6.6, 4.4, 8.8].map((x, i) => ({
        trialIndex: i + 3,
        params: { x },
        value: 0,
      })),
    ];
    for (let seed = 0; seed < 10; seed++) {
      const x = proposeTpe({ space: oneD, seed, trialIndex: 20, history }, { gammaFraction: 0.2 }).params
        .x as number;
      expect(Math.abs(x - 2)).toBeLessThan(1);
    }
    const flipped = history.map((t) => ({ ...t, value: 1 - (t.value as number) }));
    const x = proposeTpe(
      { space: oneD, seed: 0, trialIndex: 20, history: flipped, direction: "minimize" },
      { gammaFraction: 0.2 },
    ).params.x as number;
    expect(Math.abs(x - 2)).toBeLessThan(1);
  });

  it("is deterministic in (seed, trial index, history), whatever order history is listed in", () => {
    const history = runSweep(proposeRandom, 2, 15);
    const a = proposeTpe({ space: oneD, seed: 2, trialIndex: 15, history });
    const b = proposeTpe({ space: oneD, seed: 2, trialIndex: 15, history: [...history].reverse() });
    expect(b).toEqual(a);
    expect(proposeTpe({ space: oneD, seed: 2, trialIndex: 16, history })).not.toEqual(a);
  });

  it("splits at Optuna's gamma, min(ceil(0.1 n), 25), failed trials always in the bad group", () => {
    const trials: CompletedTrial[] = Array.from({ length: 30 }, (_, i) => ({
      trialIndex: i,
      params: {},
      value: i === 29 ? null : i,
    }));
    const { below, above } = splitTrials(trials, "minimize", { gammaFraction: 0.1, gammaMax: 25 });
    expect(below.map((t) => t.value)).toEqual([0, 1, 2]);
    expect(above.at(-1)!.value).toBeNull();
    expect(
      splitTrials(trials, "maximize", { gammaFraction: 0.1, gammaMax: 25 }).below.map((t) => t.value),
    ).toEqual([28, 27, 26]);
  });

  it("proposes only active parameters and learns each from the trials where it applied", () => {
    const space = parseSearchSpace({ parameters: CONDITIONAL_OPTIMIZER });
    // SGD always scores better: after startup TPE should prefer sgd and propose only sgdLr with it.
    const history: CompletedTrial[] = [];
    for (let i = 0; i < 30; i++) {
      const { params } = proposeTpe({ space, seed: 5, trialIndex: i, history });
      const kind = (params.optimizer as { kind: string }).kind;
      expect(Object.keys(params).sort()).toEqual(
        kind === "sgd" ? ["optimizer", "sgdLr"] : ["adamwLr", "optimizer"],
      );
      history.push({
        trialIndex: i,
        params,
        value: kind === "sgd" ? 0.98 + (params.sgdLr as number) / 100 : 0.9,
      });
    }
    const later = history
      .slice(10)
      .filter((t) => (t.params.optimizer as { kind: string }).kind === "sgd").length;
    expect(later).toBeGreaterThanOrEqual(15);
  });
});
