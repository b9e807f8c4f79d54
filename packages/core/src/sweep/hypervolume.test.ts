import { describe, expect, it } from "vitest";
import { hypervolume } from "./hypervolume.ts";

describe("hypervolume", () => {
  it("two objectives: the union of the points' rectangles, by hand", () => {
    const staircase = [
      [1, 3],
      [2, 2],
      [3, 1],
    ];
    // 3 x 1 + 2 x 1 + 1 x 1.
    expect(hypervolume(staircase, ["maximize", "maximize"], [0, 0])).toBe(6);
    // A dominated point and one no better than the reference add nothing.
    expect(hypervolume([...staircase, [1, 1], [5, 0]], ["maximize", "maximize"], [0, 0])).toBe(6);
    // Minimising both against (4, 4): gains (3, 1), (2, 2), (1, 3).
    expect(hypervolume(staircase, ["minimize", "minimize"], [4, 4])).toBe(6);
    // Accuracy up, time down: (0.9, 5 ms) and (0.95, 10 ms) against (0.8, 20 ms): 0.1 x 15 + 0.05 x 10.
    expect(
      hypervolume(
        [
          [0.9, 5],
          [0.95, 10],
        ],
        ["maximize", "minimize"],
        [0.8, 20],
      ),
    ).toBeCloseTo(2, 12);
  });

  it("three objectives: one box, two overlapping boxes, three by inclusion-exclusion", () => {
    const max3 = ["maximize", "maximize", "maximize"] as const;
    expect(hypervolume([[1, 2, 3]], max3, [0, 0, 0])).toBe(6);
    // 2 + 2 - 1.
    expect(
      hypervolume(
        [
          [2, 1, 1],
          [1, 2, 1],
        ],
        max3,
        [0, 0, 0],
      ),
    ).toBe(3);
    // 3 x 2 - 3 x 1 + 1.
    const corners = [
      [1, 1, 2],
      [1, 2, 1],
      [2, 1, 1],
    ];
    expect(hypervolume(corners, max3, [0, 0, 0])).toBe(4);
    // Shifted and minimised: the same boxes.
    const mirrored = corners.map((p) => p.map((x) => 10 - x));
    expect(hypervolume(mirrored, ["minimize", "minimize", "minimize"], [10, 10, 10])).toBe(4);
    expect(hypervolume([], max3, [0, 0, 0])).toBe(0);
  });

  it("refuses one objective, four, or a reference of the wrong length", () => {
    expect(() => hypervolume([[1]], ["maximize"], [0])).toThrow(/2 or 3 objectives/);
    expect(() => hypervolume([[1, 1, 1, 1]], Array(4).fill("maximize"), [0, 0, 0, 0])).toThrow(/2 or 3/);
    expect(() => hypervolume([[1, 1]], ["maximize", "maximize"], [0])).toThrow(/2 or 3/);
  });
});
