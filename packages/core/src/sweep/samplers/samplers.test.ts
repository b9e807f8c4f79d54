import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../../train/run-config.ts";
import { applyParameters, parseSearchSpace } from "../space.ts";
import { gridPoints, gridSize, proposeGrid } from "./grid.ts";
import { proposeTrial } from "./propose.ts";
import { proposeRandom } from "./random.ts";
import { CONDITIONAL_OPTIMIZER } from "./sampler-fixtures.ts";

const space = parseSearchSpace({
  parameters: [
    ...CONDITIONAL_OPTIMIZER,
    { name: "batchSize", path: "batchSize", type: "categorical", values: [64, 128, 256] },
    {
      name: "denseWidth",
      path: "model.denseWidth",
      type: "int",
      low: 64,
      high: 256,
      log: true,
      condition: { path: "model.kind", equals: "cnn" },
    },
  ],
});

describe("proposeRandom", () => {
  it("depends only on (seed, trial index): the same at any order of asking, different across trials and seeds", () => {
    const forward = [0, 1, 2, 3, 4].map((i) => proposeRandom({ space, seed: 7, trialIndex: i }).params);
    const backward = [4, 3, 2, 1, 0]
      .map((i) => proposeRandom({ space, seed: 7, trialIndex: i }).params)
      .reverse();
    expect(backward).toEqual(forward);
    expect(new Set(forward.map((p) => JSON.stringify(p))).size).toBe(5);
    expect(proposeRandom({ space, seed: 8, trialIndex: 0 }).params).not.toEqual(forward[0]);
  });

  it("keeps every value in range, sets only the active lr, and makes configs that parse", () => {
    let sgd = 0;
    for (let i = 0; i < 200; i++) {
      const { params } = proposeRandom({ space, seed: 1, trialIndex: i, base: { model: { kind: "cnn" } } });
      const config = parseRunConfig(applyParameters({ model: { kind: "cnn" } }, space, params));
      const kind = (params.optimizer as { kind: string }).kind;
      const [low, high] = kind === "sgd" ? [3e-2, 2e-1] : [3e-4, 3e-3];
      expect(Object.keys(params).sort()).toEqual(
        ["batchSize", "denseWidth", "optimizer", kind === "sgd" ? "sgdLr" : "adamwLr"].sort(),
      );
      expect(config.optimizer.learningRate).toBeGreaterThanOrEqual(low);
      expect(config.optimizer.learningRate).toBeLessThan(high);
      expect([64, 128, 256]).toContain(config.batchSize);
      expect(Number.isInteger(params.denseWidth)).toBe(true);
      expect(params.denseWidth).toBeGreaterThanOrEqual(64);
      expect(params.denseWidth).toBeLessThanOrEqual(256);
      if (kind === "sgd") sgd++;
    }
    expect(sgd).toBeGreaterThan(70);
    expect(sgd).toBeLessThan(130);
  });

  it("spreads a log-uniform parameter evenly in log space", () => {
    const values = Array.from({ length: 2000 }, (_, i) => {
      const p = proposeRandom({
        space,
        seed: 3,
        trialIndex: i,
        base: { optimizer: { kind: "adamw" } },
      }).params;
      return (p.adamwLr ?? p.sgdLr) as number;
    }).filter((v) => v < 0.01);
    const belowGeometricMid = values.filter((v) => v < Math.sqrt(3e-4 * 3e-3)).length / values.length;
    expect(belowGeometricMid).toBeGreaterThan(0.45);
    expect(belowGeometricMid).toBeLessThan(0.55);
  });
});

describe("grid", () => {
  const gridSpace = parseSearchSpace({
    parameters: [
      {
        name: "optimizer",
        path: "optimizer",
        type: "categorical",
        values: [{ kind: "adamw" }, { kind: "sgd" }],
      },
      {
        name: "momentum",
        path: "optimizer.momentum",
        type: "uniform",
        low: 0,
        high: 0.99,
        values: [0, 0.9],
        condition: { path: "optimizer.kind", equals: "sgd" },
      },
      { name: "depth", path: "model.depth", type: "int", low: 1, high: 3 },
    ],
  });

  it("multiplies a conditional parameter only where it applies", () => {
    // adamw x depth 3 + sgd x momentum 2 x depth 3
    expect(gridSize(gridSpace)).toBe(9);
    const points = gridPoints(gridSpace);
    expect(points[0]).toEqual({ optimizer: { kind: "adamw" }, depth: 1 });
    expect(points[3]).toEqual({ optimizer: { kind: "sgd" }, momentum: 0, depth: 1 });
    expect(points[8]).toEqual({ optimizer: { kind: "sgd" }, momentum: 0.9, depth: 3 });
    expect(proposeGrid({ space: gridSpace, seed: 0, trialIndex: 4 }).params).toEqual(points[4]);
  });

  it("refuses a continuous parameter without values and a trial past the end", () => {
    expect(() => gridSize(space)).toThrow('grid: log-uniform parameter "adamwLr" needs explicit values');
    expect(() => proposeTrial("grid", { space: gridSpace, seed: 0, trialIndex: 9 })).toThrow(
      "grid: trial 9 asked for, but the grid has 9 points",
    );
  });
});
