import { describe, expect, it } from "vitest";
import { parseRunConfig } from "../train/run-config.ts";
import { getSweepPreset } from "./presets.ts";
import { gridPoints } from "./samplers/grid.ts";
import { proposeRandom } from "./samplers/random.ts";
import { applyParameters } from "./space.ts";

describe("sweep presets", () => {
  it.each(["seed-mlp", "seed-cnn"])("%s proposes configs of the reference space that parse", (name) => {
    const preset = getSweepPreset(name);
    expect(preset).toMatchObject({ name, method: "random", defaultTrials: 10 });
    const kinds = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const { params } = proposeRandom({ space: preset.space, base: preset.base, seed: 0, trialIndex: i });
      const config = parseRunConfig(applyParameters(preset.base, preset.space, params));
      expect(config.model.kind).toBe(name === "seed-mlp" ? "mlp" : "cnn");
      expect(config.schedule).toEqual({ kind: "cosine", warmupSteps: 0, floorRatio: 0.02 });
      expect([64, 128, 256]).toContain(config.batchSize);
      expect(["silu", "relu"]).toContain(config.model.activation);
      const lr = config.optimizer.learningRate;
      if (config.optimizer.kind === "sgd") {
        expect(config.optimizer.momentum).toBe(0.9);
        expect(lr).toBeGreaterThanOrEqual(3e-2);
        expect(lr).toBeLessThan(2e-1);
      } else {
        expect(lr).toBeGreaterThanOrEqual(3e-4);
        expect(lr).toBeLessThan(3e-3);
      }
      kinds.add(config.optimizer.kind);
      if (config.model.kind === "mlp") expect([config.model.depth, config.model.width]).toEqual([2, 512]);
      else
        expect([
          config.model.channels,
          config.model.denseWidth,
          config.model.dropout,
          config.model.denseDropout,
        ]).toEqual([[32, 64], 128, 0.25, 0.5]);
    }
    expect(kinds).toEqual(new Set(["adamw", "sgd"]));
  });

  it("seed-followup grids width x weight decay around the given best config", () => {
    const best = {
      model: { kind: "mlp" as const, activation: "relu" as const },
      optimizer: { kind: "sgd" as const, momentum: 0.9, learningRate: 0.08 },
      batchSize: 64,
    };
    const preset = getSweepPreset("seed-followup", best);
    expect(preset.method).toBe("grid");
    const configs = gridPoints(preset.space, preset.base).map((p) =>
      parseRunConfig(applyParameters(preset.base, preset.space, p)),
    );
    expect(configs.map((c) => [c.model.kind === "mlp" && c.model.width, c.optimizer.weightDecay])).toEqual([
      [512, 0],
      [512, 1e-4],
      [512, 1e-3],
      [768, 0],
      [768, 1e-4],
      [768, 1e-3],
    ]);
    for (const c of configs) expect(c.optimizer).toMatchObject({ kind: "sgd", learningRate: 0.08 });
    const cnn = getSweepPreset("seed-followup", { model: { kind: "cnn" } });
    expect(cnn.space.parameters[0]!.path).toBe("model.denseWidth");
  });

  it("names the known presets when asked for an unknown one, and needs a best config for the follow-up", () => {
    expect(() => getSweepPreset("seed-rnn")).toThrow(
      'unknown sweep preset "seed-rnn" (known: seed-mlp, seed-cnn, seed-followup)',
    );
    expect(() => getSweepPreset("seed-followup")).toThrow("needs the best config");
  });
});
