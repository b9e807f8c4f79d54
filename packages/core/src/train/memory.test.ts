import { describe, expect, it } from "vitest";
import { RunConfigSchema } from "./config.ts";
import { estimateRunMemory } from "./memory.ts";

const MB = 1024 * 1024;

describe("estimateRunMemory", () => {
  it("counts an MLP's parameters exactly and its optimizer state by kind", () => {
    const config = RunConfigSchema.parse({ model: { kind: "mlp", depth: 2, width: 512 } });
    const estimate = estimateRunMemory(config);
    expect(estimate.parameterCount).toBe(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10);
    expect(estimate.gradientsAndOptimizer).toBe(estimate.parameters * 3);
    const sgd = estimateRunMemory(RunConfigSchema.parse({ optimizer: { kind: "sgd" } }));
    expect(sgd.gradientsAndOptimizer).toBe(sgd.parameters * 2);
    expect(estimate.total).toBeLessThan(400 * MB);
  });

  it("counts the CNN's parameters as the model builds them, and grows activations with the batch", () => {
    const cnn = (batchSize: number) =>
      estimateRunMemory(
        RunConfigSchema.parse({ batchSize, model: { kind: "cnn", channels: [32, 64], denseWidth: 128 } }),
      );
    const flat = 12 * 12 * 64;
    expect(cnn(128).parameterCount).toBe(9 * 32 + 32 + 9 * 32 * 64 + 64 + flat * 128 + 128 + 128 * 10 + 10);
    expect(cnn(256).activations).toBe(cnn(128).activations * 2);
  });

  it("puts the largest accepted config far beyond a few gigabytes", () => {
    const largest = RunConfigSchema.parse({
      batchSize: 4096,
      model: { kind: "cnn", channels: [256, 256], denseWidth: 4096 },
    });
    const estimate = estimateRunMemory(largest);
    expect(estimate.parameters).toBeGreaterThan(600e6);
    expect(estimate.total).toBeGreaterThan(10_000 * MB);
  });
});

describe("event bounds", () => {
  it("keeps a run to at most 10,000 step events and 1,000 evaluations", () => {
    const result = RunConfigSchema.safeParse({ steps: 200_000, logEverySteps: 1, evalEverySteps: 100 });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["logEverySteps", "must be at least 20 for 200000 steps (at most 10000 events per run)"],
      ["evalEverySteps", "must be at least 200 for 200000 steps (at most 1000 events per run)"],
    ]);
    expect(RunConfigSchema.safeParse({ steps: 1000, logEverySteps: 1, evalEverySteps: 1 }).success).toBe(
      true,
    );
    expect(RunConfigSchema.safeParse({ logEverySteps: 10_000_000 }).success).toBe(false);
  });
});
