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

  it("ends a collapsed run DIVERGED, not finished: loss stuck at ln 10 at the first evaluation after 10 % of steps", async () => {
    // SGD momentum 0.9 at lr 2 sends this ReLU MLP to a constant prediction (train loss 2.33 at step 150).
    const events = await collect({
      ...SMALL_MLP,
      model: { kind: "mlp", depth: 1, width: 32, activation: "relu" },
      optimizer: { kind: "sgd", learningRate: 2, momentum: 0.9 },
    });
    expect(events.map((e) => e.type)).toEqual(["started", "step", "step", "step", "eval", "failed"]);
    const evaluation = events[4]!;
    const trainLoss = evaluation.type === "eval" ? evaluation.trainLoss : Number.NaN;
    expect(Math.abs(trainLoss - Math.log(10))).toBeLessThan(0.1);
    expect(events.at(-1)).toMatchObject({
      type: "failed",
      step: 150,
      code: "DIVERGED",
      message: expect.stringMatching(
        /^training loss 2\.\d{3} at step 150 has not fallen below 2\.07\d \(90 % of its starting value 2\.30\d\): the run collapsed or diverged$/,
      ),
    });
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
