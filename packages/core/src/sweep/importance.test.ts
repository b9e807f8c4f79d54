import { describe, expect, it } from "vitest";
import { SeededRandom } from "../data/random.ts";
import { parameterImportance } from "./importance.ts";
import { proposeRandom } from "./samplers/random.ts";
import { parseSearchSpace } from "./space.ts";

const space = parseSearchSpace({
  parameters: [
    { name: "lr", path: "optimizer.learningRate", type: "log-uniform", low: 1e-4, high: 1e-1 },
    { name: "batchSize", path: "batchSize", type: "categorical", values: [64, 128, 256] },
    { name: "width", path: "model.width", type: "int", low: 64, high: 1024 },
  ],
});

function trials(metric: (p: Record<string, unknown>, noise: number) => number, count = 60) {
  const random = new SeededRandom(11);
  return Array.from({ length: count }, (_, i) => {
    const { params } = proposeRandom({ space, seed: 3, trialIndex: i });
    return { params, value: metric(params, random.uniform(-1, 1)) };
  });
}

describe("parameterImportance", () => {
  it("gives nearly all the variance to the one parameter the metric depends on", () => {
    // Accuracy peaks at lr = 1e-2 on a log scale; a little noise.
    const result = parameterImportance(
      space,
      trials((p, e) => 0.98 - 0.02 * Math.log10((p.lr as number) / 1e-2) ** 2 + 0.0005 * e),
    );
    expect(result[0]!.name).toBe("lr");
    expect(result[0]!.importance).toBeGreaterThan(0.8);
    for (const other of result.slice(1)) expect(other.importance).toBeLessThan(0.05);
    expect(result.reduce((a, r) => a + r.importance, 0)).toBeLessThanOrEqual(1);
  });

  it("finds a categorical effect and gives pure noise about nothing", () => {
    const categorical = parameterImportance(
      space,
      trials((p, e) => (p.batchSize === 256 ? 0.9 : 0.95) + 0.001 * e),
    );
    expect(categorical[0]!.name).toBe("batchSize");
    expect(categorical[0]!.importance).toBeGreaterThan(0.9);
    const noise = parameterImportance(
      space,
      trials((_, e) => e),
    );
    for (const r of noise) expect(r.importance).toBeLessThan(0.1);
  });

  it("ignores trials without a result and reports zeros below three", () => {
    expect(
      parameterImportance(space, [{ params: { lr: 0.01, batchSize: 64, width: 100 }, value: null }]),
    ).toEqual([
      { name: "lr", importance: 0 },
      { name: "batchSize", importance: 0 },
      { name: "width", importance: 0 },
    ]);
  });
});
