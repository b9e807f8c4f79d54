import { describe, expect, it } from "vitest";
import { decideAsha, rungStep } from "./asha.ts";
import { decideEarlyStopping, EarlyStoppingSchema } from "./early-stopping.ts";
import { decideMedian } from "./median.ts";
import type { MetricPoint, OtherTrial } from "./pruner.ts";

/** Evaluations every 250 steps up to `steps`, each trial's curve its final value scaled by progress. */
const curve = (final: number, steps = 1000): MetricPoint[] =>
  Array.from({ length: steps / 250 }, (_, i) => ({
    step: (i + 1) * 250,
    value: final - 0.01 * (steps / 250 - i - 1),
  }));
const other = (final: number, steps = 1000, completed = steps === 1000): OtherTrial => ({
  evals: curve(final, 1000).filter((p) => p.step <= steps),
  completed,
});

describe("decideAsha", () => {
  const settings = { minSteps: 250, eta: 3 };

  it("places rungs at minSteps * eta^k", () => {
    expect([0, 1, 2].map((k) => rungStep({ minSteps: 100, eta: 3 }, k))).toEqual([100, 300, 900]);
  });

  it("stops a trial outside the top 1/eta at a rung, with a reason naming the numbers", () => {
    const others = [0.99, 0.98, 0.97, 0.96, 0.95].map((v) => other(v));
    // At rung 0 (step 250) the others hold 0.96, 0.95, 0.94, 0.93, 0.92; 6 values keep the top 2.
    const decision = decideAsha({
      trial: [{ step: 250, value: 0.912 }],
      others,
      settings,
      direction: "maximize",
    });
    expect(decision).toEqual({
      prune: true,
      rung: 0,
      reason: "validation accuracy 0.912 at step 250 is below the top 1/3 (0.95) of 6 trials at rung 0",
    });
    const good = decideAsha({
      trial: [{ step: 250, value: 0.955 }],
      others,
      settings,
      direction: "maximize",
    });
    expect(good).toMatchObject({ prune: false, rung: 0 });
    expect(good.reason).toBe(
      "validation accuracy 0.955 at step 250 is within the top 1/3 (0.955) of 6 trials at rung 0",
    );
  });

  it("decides only at the evaluation that first reaches a rung, and compares at the rung the trial reached", () => {
    const others = [0.99, 0.98, 0.97, 0.96, 0.95].map((v) => other(v));
    const trial = [
      { step: 250, value: 0.97 },
      { step: 500, value: 0.5 },
    ];
    expect(decideAsha({ trial, others, settings, direction: "maximize" })).toMatchObject({
      prune: false,
      rung: null,
      reason: "step 500 is not a rung (next at step 750)",
    });
    const atRung1 = decideAsha({
      trial: [...trial, { step: 750, value: 0.5 }],
      others,
      settings,
      direction: "maximize",
    });
    expect(atRung1).toMatchObject({ prune: true, rung: 1 });
    expect(atRung1.reason).toContain("of 6 trials at rung 1");
  });

  it("does not stop anyone at a rung fewer than minTrialsPerRung trials have reached", () => {
    const decision = decideAsha({
      trial: [{ step: 250, value: 0.1 }],
      others: [other(0.99)],
      settings,
      direction: "maximize",
    });
    expect(decision).toEqual({
      prune: false,
      rung: 0,
      reason: "2 of the 3 trials needed have reached rung 0 (step 250)",
    });
  });

  it("ranks the other way for a metric to minimise", () => {
    const others = [0.1, 0.2, 0.3, 0.4, 0.5].map((v) => ({
      evals: [{ step: 250, value: v }],
      completed: false,
    }));
    const bad = decideAsha({
      trial: [{ step: 250, value: 0.35 }],
      others,
      settings,
      direction: "minimize",
      metricLabel: "validation loss",
    });
    expect(bad.reason).toBe(
      "validation loss 0.35 at step 250 is above the top 1/3 (0.2) of 6 trials at rung 0",
    );
    expect(
      decideAsha({ trial: [{ step: 250, value: 0.15 }], others, settings, direction: "minimize" }).prune,
    ).toBe(false);
  });
});

describe("decideMedian", () => {
  const settings = { nStartupTrials: 3, warmupSteps: 300 };
  const completed = [0.99, 0.97, 0.95].map((v) => other(v));

  it("stops a trial whose best so far is below the median of completed trials at the same step", () => {
    // At step 500 the completed trials hold 0.97, 0.95, 0.93: median 0.95.
    const trial = [
      { step: 250, value: 0.94 },
      { step: 500, value: 0.93 },
    ];
    expect(decideMedian({ trial, others: completed, settings, direction: "maximize" })).toEqual({
      prune: true,
      rung: null,
      reason:
        "best validation accuracy 0.94 by step 500 is below the median 0.95 of 3 completed trials at that step",
    });
    const fine = [
      { step: 250, value: 0.951 },
      { step: 500, value: 0.9 },
    ];
    expect(decideMedian({ trial: fine, others: completed, settings, direction: "maximize" }).prune).toBe(
      false,
    );
  });

  it("waits for nStartupTrials completed trials and for the warm-up steps", () => {
    const trial = [{ step: 500, value: 0.1 }];
    const running = [other(0.99, 500), other(0.98, 500), other(0.97, 500)];
    expect(
      decideMedian({
        trial,
        others: [...completed.slice(0, 2), ...running],
        settings,
        direction: "maximize",
      }),
    ).toEqual({
      prune: false,
      rung: null,
      reason: "2 of the 3 completed trials needed",
    });
    expect(
      decideMedian({ trial: [{ step: 250, value: 0.1 }], others: completed, settings, direction: "maximize" })
        .reason,
    ).toBe("step 250 is within the 300 warm-up steps");
  });
});

describe("decideEarlyStopping", () => {
  it("dispatches on the rule's kind and parses its settings", () => {
    const others = [0.99, 0.98, 0.97, 0.96, 0.95].map((v) => other(v));
    const trial = [{ step: 250, value: 0.912 }];
    const asha = EarlyStoppingSchema.parse({ kind: "asha", minSteps: 250 });
    expect(asha).toEqual({ kind: "asha", minSteps: 250, eta: 3, minTrialsPerRung: 3 });
    expect(decideEarlyStopping(asha, { trial, others, direction: "maximize" })).toMatchObject({
      prune: true,
      rung: 0,
    });
    expect(
      decideEarlyStopping({ kind: "median", nStartupTrials: 3 }, { trial, others, direction: "maximize" }),
    ).toMatchObject({
      prune: true,
      rung: null,
    });
    expect(EarlyStoppingSchema.safeParse({ kind: "asha" }).success).toBe(false);
  });
});
