import { describe, expect, it } from "vitest";
import { SweepEventSchema } from "./index.ts";

const summary = {
  id: "swp_1",
  name: null,
  status: "succeeded",
  stopReason: null,
  preset: null,
  method: "random",
  metric: "validationAccuracy",
  direction: "maximize",
  trials: 2,
  parallelism: 1,
  repeats: 1,
  adaptiveRepeats: false,
  objectives: null,
  seed: 0,
  earlyStopping: null,
  runsByStatus: { succeeded: 2 },
  bestMean: 0.9,
  createdAt: "2026-12-03T07:00:00.000Z",
  finishedAt: "2026-12-03T07:01:00.000Z",
};

describe("SweepEventSchema", () => {
  it("accepts the sweep event that ends a stream", () => {
    expect(SweepEventSchema.parse({ type: "sweep", sweep: summary }).type).toBe("sweep");
  });
  it("refuses a sweep with a status outside the lifecycle", () => {
    expect(
      SweepEventSchema.safeParse({ type: "sweep", sweep: { ...summary, status: "paused" } }).success,
    ).toBe(false);
  });
});
