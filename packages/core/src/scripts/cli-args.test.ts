import { describe, expect, it } from "vitest";
import { isCoreError } from "../errors.ts";
import { parseRunFlags } from "./cli-args.ts";

describe("core's script flags", () => {
  it("map kebab-case flags onto the run config", () => {
    const { config, backend, json } = parseRunFlags([
      "--model",
      "cnn",
      "--batch-norm",
      "--dropout",
      "0.25",
      "--dense-dropout",
      "0.5",
      "--augment",
      "--eval-every",
      "100",
      "--validation-size",
      "0",
      "--backend",
      "wasm",
      "--json",
    ]);
    expect(config).toEqual({
      model: { kind: "cnn", batchNorm: true, dropout: 0.25, denseDropout: 0.5 },
      optimizer: { kind: "adamw", learningRate: 5.426e-4 },
      batchSize: 128,
      augment: true,
      evalEverySteps: 100,
      validationSize: 0,
    });
    expect({ backend, json }).toEqual({ backend: "wasm", json: true });
  });

  it("rejects a malformed number as INVALID_CONFIG naming the flag", () => {
    let caught: unknown;
    try {
      parseRunFlags(["--steps", "many"]);
    } catch (error) {
      caught = error;
    }
    expect(isCoreError(caught) && caught.code).toBe("INVALID_CONFIG");
    expect((caught as Error).message).toBe('--steps must be an integer, got "many"');
  });
});
