import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { scientific, summaryLine } from "../render/format.ts";
import { buildRunConfig } from "./train-config.ts";

describe("sweeplab train's run config", () => {
  it("takes the reference study's environment variables as defaults, the same as the flags", () => {
    const fromEnv = buildRunConfig(
      { model: "mlp" },
      { STEPS: "5000", BATCH: "256", LR_MAX: "0.0009804", ACT: "silu", WIDTH: "512", WD: "0", OPT: "adamw" },
    );
    const fromFlags = buildRunConfig({
      model: "mlp",
      steps: "5000",
      batch: "256",
      lr: "0.0009804",
      act: "silu",
      width: "512",
      wd: "0",
      opt: "adamw",
    });
    expect(fromEnv).toEqual(fromFlags);
    expect(fromFlags).toMatchObject({
      steps: 5000,
      batchSize: 256,
      optimizer: { kind: "adamw", learningRate: 0.0009804 },
    });
  });

  it("lets flags win over the environment", () => {
    expect(buildRunConfig({ steps: "10" }, { STEPS: "5000" }).steps).toBe(10);
  });

  it("uses the reference CNN recipe's learning rate and batch for --model cnn", () => {
    expect(buildRunConfig({ model: "cnn" })).toMatchObject({
      batchSize: 128,
      optimizer: { learningRate: 5.426e-4 },
    });
  });

  it("maps the CNN regularisation and data flags onto the run config", () => {
    const config = buildRunConfig({
      model: "cnn",
      batchNorm: true,
      dropout: "0.25",
      augment: true,
      validationSize: "0",
    });
    expect(config).toMatchObject({
      model: { kind: "cnn", batchNorm: true, dropout: 0.25 },
      augment: true,
      validationSize: 0,
    });
  });

  it("rejects malformed values as usage errors", () => {
    expect(() => buildRunConfig({ steps: "ten" })).toThrow(UsageError);
    expect(() => buildRunConfig({ act: "swish" })).toThrow(/--act must be one of/);
    expect(() => buildRunConfig({}, { OPT: "adam" })).toThrow(/--opt/);
    expect(() => buildRunConfig({ validationSize: "0.5" })).toThrow(/--validation-size must be an integer/);
  });

  it("prints the summary line in the reference scripts' form", () => {
    expect(summaryLine(1.96e-5, 0.0412, 0.986)).toBe("lr: 1.96e-05  loss: 0.04  acc: 98.60 %");
    expect(scientific(9.804e-4)).toBe("9.80e-04");
  });
});
