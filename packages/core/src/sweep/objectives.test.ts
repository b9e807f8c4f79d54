import { describe, expect, it } from "vitest";
import { RunConfigSchema } from "../train/config.ts";
import { estimateRunMemory } from "../train/memory.ts";
import {
  ObjectiveSchema,
  ObjectivesSchema,
  parseObjective,
  readObjective,
  readObjectives,
  readTrialResults,
} from "./objectives.ts";

describe("objectives", () => {
  it("accepts two or more distinct objectives and refuses one, a repeat or an unknown metric", () => {
    const accuracy = { metric: "validationAccuracy", direction: "maximize" };
    const speed = { metric: "msPerStep", direction: "minimize" };
    expect(ObjectivesSchema.safeParse([accuracy, speed]).success).toBe(true);
    expect(ObjectivesSchema.safeParse([accuracy]).success).toBe(false);
    expect(ObjectivesSchema.safeParse([accuracy, accuracy]).success).toBe(false);
    expect(ObjectiveSchema.safeParse({ metric: "testAccuracy", direction: "maximize" }).success).toBe(false);
    expect(ObjectiveSchema.safeParse({ ...speed, assumedSeedStd: -1 }).success).toBe(false);
  });

  it("parses the CLI form metric:max / metric:min", () => {
    expect(parseObjective("validationAccuracy:max")).toEqual({
      metric: "validationAccuracy",
      direction: "maximize",
    });
    expect(parseObjective("msPerStep:minimize")).toEqual({ metric: "msPerStep", direction: "minimize" });
    for (const bad of ["msPerStep", "msPerStep:up", "speed:min", "msPerStep:min:x"]) {
      expect(() => parseObjective(bad)).toThrow(/INVALID_CONFIG|expected metric/);
    }
  });

  it("reads every metric from a run's outcome, sizes from the config when not reported", () => {
    const config = RunConfigSchema.parse({});
    const results = readTrialResults({
      config,
      lastEval: { validationAccuracy: 0.97, validationLoss: 0.1 },
      msPerStep: 4.5,
    });
    const estimate = estimateRunMemory(config);
    expect(results).toEqual({
      validationAccuracy: 0.97,
      validationLoss: 0.1,
      msPerStep: 4.5,
      parameterCount: estimate.parameterCount,
      peakMemoryEstimate: estimate.total,
    });
    expect(readTrialResults({ parameterCount: 10 })).toMatchObject({
      parameterCount: 10,
      peakMemoryEstimate: null,
    });
  });

  it("gives no point for a missing or non-finite objective", () => {
    const accuracy = { metric: "validationAccuracy", direction: "maximize" } as const;
    const speed = { metric: "msPerStep", direction: "minimize" } as const;
    expect(readObjective({ validationAccuracy: Number.NaN }, accuracy)).toBeNull();
    expect(readObjectives({ validationAccuracy: 0.9, msPerStep: 3 }, [speed, accuracy])).toEqual([3, 0.9]);
    expect(readObjectives({ validationAccuracy: 0.9, msPerStep: null }, [accuracy, speed])).toBeNull();
  });
});
