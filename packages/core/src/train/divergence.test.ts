import { describe, expect, it } from "vitest";
import { divergenceCheckStep, divergenceError, referenceLoss } from "./divergence.ts";

describe("the divergence rule", () => {
  it("judges the first evaluation at or after 10 % of the steps, and not runs under 100 steps", () => {
    expect(divergenceCheckStep(1000, 250)).toBe(250);
    expect(divergenceCheckStep(5000, 250)).toBe(500);
    expect(divergenceCheckStep(300, 150)).toBe(150);
    expect(divergenceCheckStep(200, 1000)).toBe(200);
    expect(divergenceCheckStep(99, 10)).toBeNull();
  });

  it("compares against the measured start, capped at ln(classes)", () => {
    expect(referenceLoss(2.1, 10)).toBe(2.1);
    expect(referenceLoss(3.5, 10)).toBeCloseTo(Math.log(10), 12);
    expect(referenceLoss(null, 10)).toBeCloseTo(Math.log(10), 12);
  });

  it("passes a loss more than 10 % below the start and fails one above, stating the numbers", () => {
    expect(divergenceError(1.79, 250, 2.0)).toBeNull();
    const error = divergenceError(1.81, 250, 2.0);
    expect(error?.code).toBe("DIVERGED");
    expect(error?.message).toBe(
      "training loss 1.810 at step 250 has not fallen below 1.800 (90 % of its starting value 2.000): the run collapsed or diverged",
    );
  });
});
