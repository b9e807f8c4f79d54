import { describe, expect, it } from "vitest";
import { applyParameters, parseSearchSpace, type SearchSpace } from "../space.ts";
import { gridPoints, gridSize, proposeGrid } from "./grid.ts";

/**
 * The red-team's 25 KB grid: a 2,000-value categorical batch size plus 100 learning rates, each applying under one
 * batch size. Every parameter's `condition` is read through a counter: the number of condition checks is the work.
 */
function conditionalSpace(): { space: SearchSpace; checks: () => number } {
  const space = parseSearchSpace({
    parameters: [
      {
        name: "batch",
        path: "batchSize",
        type: "categorical",
        values: Array.from({ length: 2000 }, (_, i) => i + 1),
      },
      ...Array.from({ length: 100 }, (_, i) => ({
        name: `lr${i}`,
        path: "optimizer.learningRate",
        type: "uniform",
        low: 0.001,
        high: 0.1,
        values: [0.001, 0.01, 0.1],
        condition: { path: "batchSize", equals: i + 1 },
      })),
    ],
  });
  let checks = 0;
  const counted = space.parameters.map((p) => {
    const { condition, ...rest } = p;
    return Object.defineProperty({ ...rest }, "condition", {
      enumerable: true,
      get: () => {
        checks += 1;
        return condition;
      },
    }) as typeof p;
  });
  return { space: { parameters: counted }, checks: () => checks };
}

describe("grid work is bounded by the point asked for, not by the grid", () => {
  it("proposes trial 0 of the 2,000-value conditional grid with about one check per parameter", () => {
    const { space, checks } = conditionalSpace();
    expect(proposeGrid({ space, seed: 0, trialIndex: 0 }).params).toEqual({ batch: 1, lr0: 0.001 });
    expect(checks()).toBeLessThan(1_000);
  });

  it("finds a late point and counts the conditional grid up to a cap without listing it", () => {
    const { space, checks } = conditionalSpace();
    // 100 batch sizes with 3 learning rates each, then 1,900 without: 2,200 points.
    expect(gridSize(space, {}, 1000)).toBe(1000);
    expect(proposeGrid({ space, seed: 0, trialIndex: 299 }).params).toEqual({ batch: 100, lr99: 0.1 });
    expect(gridPoints(space, {}, 5).map((p) => p.batch)).toEqual([1, 1, 1, 2, 2]);
    expect(checks()).toBeLessThan(500_000);
  });

  it("indexes and counts a 100k-point and a 10^12-point grid by arithmetic", () => {
    const decade = { type: "categorical", values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } as const;
    const space = parseSearchSpace({
      parameters: [
        { name: "a", path: "seed", ...decade },
        { name: "b", path: "batchSize", ...decade },
        { name: "c", path: "steps", ...decade },
        { name: "d", path: "evalEverySteps", ...decade },
        { name: "e", path: "model.width", ...decade },
      ],
    });
    expect(gridSize(space, {}, Number.POSITIVE_INFINITY)).toBe(100_000);
    expect(proposeGrid({ space, seed: 0, trialIndex: 99_999 }).params).toEqual({
      a: 9,
      b: 9,
      c: 9,
      d: 9,
      e: 9,
    });
    expect(proposeGrid({ space, seed: 0, trialIndex: 12_345 }).params).toEqual({
      a: 1,
      b: 2,
      c: 3,
      d: 4,
      e: 5,
    });
    expect(() => proposeGrid({ space, seed: 0, trialIndex: 100_000 })).toThrow("the grid has 100000 points");
    const huge = parseSearchSpace({
      parameters: [
        { name: "s", path: "seed", type: "int", low: 0, high: 999_999 },
        { name: "w", path: "model.width", type: "int", low: 1, high: 1_000_000 },
      ],
    });
    expect(gridSize(huge, {}, Number.POSITIVE_INFINITY)).toBe(1e12);
    expect(proposeGrid({ space: huge, seed: 0, trialIndex: 1e12 - 1 }).params).toEqual({
      s: 999_999,
      w: 1_000_000,
    });
  });

  it("a categorical object value deeper than the limit is refused, however deep", () => {
    let deep: Record<string, unknown> = { kind: "adamw" };
    for (let i = 0; i < 50_000; i++) deep = { x: deep };
    expect(() =>
      parseSearchSpace({
        parameters: [{ name: "o", path: "optimizer", type: "categorical", values: [deep] }],
      }),
    ).toThrow(/nests deeper than 8 levels/);
    const shallow = { kind: "sgd", momentum: 0.9 };
    const space = parseSearchSpace({
      parameters: [{ name: "o", path: "optimizer", type: "categorical", values: [shallow] }],
    });
    expect(applyParameters({}, space, { o: shallow })).toEqual({ optimizer: shallow });
  });

  it("refuses a space of more parameters than the limit before checking their pairs", () => {
    const parameters = Array.from({ length: 5000 }, (_, i) => ({
      name: `p${i}`,
      path: "seed",
      type: "int",
      low: 0,
      high: 1,
    }));
    expect(() => parseSearchSpace({ parameters })).toThrow(/parameters: Too big/);
  });
});
