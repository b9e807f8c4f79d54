import { describe, expect, it } from "vitest";
import { collect, last, SMALL_MLP } from "./train-fixtures.ts";

// Failure paths, on whatever backend this machine prefers.
describe("train() failures", () => {
  it("rejects an unknown activation as INVALID_CONFIG, naming the field", async () => {
    const events = await collect({ model: { kind: "mlp", activation: "swishy" as never } });
    expect(events).toEqual([
      expect.objectContaining({
        type: "failed",
        code: "INVALID_CONFIG",
        message: expect.stringContaining("model.activation"),
      }),
    ]);
  });

  it("stops a diverging run with NON_FINITE_LOSS", async () => {
    const events = await collect({
      ...SMALL_MLP,
      optimizer: { kind: "sgd", learningRate: 1000, momentum: 0.9 },
      steps: 400,
      logEverySteps: 10,
    });
    const failed = events.at(-1);
    expect(failed).toMatchObject({ type: "failed", code: "NON_FINITE_LOSS" });
    expect(failed?.type === "failed" ? failed.step : Number.NaN).toBeLessThan(400);
  });

  it("honours an AbortSignal with ABORTED", async () => {
    const controller = new AbortController();
    const events = [];
    for await (const event of (await import("./train.ts")).train(
      { ...SMALL_MLP, steps: 5000 },
      { signal: controller.signal },
    )) {
      events.push(event);
      if (event.type === "step") controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: "failed", code: "ABORTED", step: 50 });
  });

  it("reports a missing dataset folder as DATA_NOT_FOUND", async () => {
    const events = await collect({ dataset: { kind: "folder", path: "/nope" } });
    expect(events.at(-1)).toMatchObject({ type: "failed", code: "DATA_NOT_FOUND" });
  });
});

describe("train() without a validation split", () => {
  it("trains on every training image and reports validation as null, not NaN", async () => {
    const events = await collect({ ...SMALL_MLP, steps: 20, evalEverySteps: 10, validationSize: 0 });
    expect(last(events, "started")).toMatchObject({ trainExamples: 60_000, validationExamples: 0 });
    const evals = events.filter((e) => e.type === "eval");
    expect(evals.map((e) => [e.step, e.validationLoss, e.validationAccuracy])).toEqual([
      [10, null, null],
      [20, null, null],
    ]);
    expect(evals.every((e) => e.trainAccuracy > 0.1)).toBe(true);
    expect(last(events, "finished")?.testAccuracy).toBeGreaterThan(0.5);
  });
});
