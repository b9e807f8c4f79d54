import { describe, expect, it } from "vitest";
import { learningRateAt } from "./cosine.ts";

const peak = 9.804e-4;

describe("cosine learning-rate schedule", () => {
  it("starts at the peak and ends at 2 % of it, as the reference study's logs (1.96e-5)", () => {
    const cosine = { kind: "cosine", warmupSteps: 0, floorRatio: 0.02 } as const;
    expect(learningRateAt(0, 5000, peak, cosine)).toBeCloseTo(peak, 12);
    expect(learningRateAt(4999, 5000, peak, cosine)).toBeCloseTo(1.9608e-5, 9);
    // Midpoint of 1001 steps (progress 0.5): halfway between peak and floor.
    expect(learningRateAt(500, 1001, peak, cosine)).toBeCloseTo((peak + 0.02 * peak) / 2, 12);
  });

  it("warms up linearly, then anneals from the peak", () => {
    const schedule = { kind: "cosine", warmupSteps: 100, floorRatio: 0 } as const;
    expect(learningRateAt(0, 1100, 1, schedule)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(99, 1100, 1, schedule)).toBeCloseTo(1, 12);
    expect(learningRateAt(100, 1100, 1, schedule)).toBeCloseTo(1, 12);
    expect(learningRateAt(1099, 1100, 1, schedule)).toBeCloseTo(0, 12);
    // A quarter of the way through the cosine: 0.5 * (1 + cos(pi/4)).
    expect(learningRateAt(100 + 999 / 4, 1100, 1, schedule)).toBeCloseTo(0.5 * (1 + Math.SQRT1_2), 12);
  });

  it("holds a constant rate", () => {
    expect(learningRateAt(123, 1000, 0.1, { kind: "constant" })).toBe(0.1);
  });
});
