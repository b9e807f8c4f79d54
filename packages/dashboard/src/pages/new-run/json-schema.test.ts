import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { OpenApiDocument } from "../../api/openapi.ts";
import { allowsNull, defaultValue, pickProperties, validateValue, variantsOf } from "./json-schema.ts";

// The document the SDK is generated from (a test keeps it equal to what the server serves).
const doc = JSON.parse(
  readFileSync(new URL("../../../../sdk/openapi.json", import.meta.url), "utf8"),
) as OpenApiDocument;
const runConfig = doc.components.schemas.RunConfig!;

describe("the run form's schema reading", () => {
  it("fills in the API's defaults, following $refs", () => {
    const config = defaultValue(runConfig, doc) as Record<string, unknown>;
    expect(config).toMatchObject({ steps: 1000, batchSize: 256, dataset: "mnist", augment: false, seed: 0 });
    expect(config.model).toEqual({ kind: "mlp", depth: 2, width: 512, activation: "silu", dropout: 0 });
    expect(config.optimizer).toMatchObject({ kind: "adamw", learningRate: 0.0009804 });
  });

  it("finds the kinds of a discriminated union", () => {
    expect([...variantsOf(doc.components.schemas.ModelSpec!, doc)!.keys()]).toEqual(["mlp", "cnn"]);
  });

  it("reports out-of-bounds fields by path, with the schema's bounds in words", () => {
    const config = defaultValue(runConfig, doc) as Record<string, Record<string, unknown>>;
    expect(validateValue(runConfig, config, doc)).toEqual({});
    const bad = {
      ...config,
      steps: 0,
      batchSize: 1.5,
      model: { ...config.model, depth: 5 },
      optimizer: { ...config.optimizer, beta1: 1, learningRate: 0 },
    };
    expect(validateValue(runConfig, bad, doc)).toEqual({
      steps: "must be at least 1",
      batchSize: "must be a whole number",
      "model.depth": "must be at most 4",
      "optimizer.beta1": "must be less than 1",
      "optimizer.learningRate": "must be more than 0",
    });
  });

  it("checks both channels of a CNN", () => {
    const cnn = { ...(defaultValue(runConfig, doc) as object), model: { kind: "cnn", channels: [32, 300] } };
    expect(validateValue(runConfig, cnn, doc)).toEqual({ "model.channels.1": "must be at most 256" });
  });

  it("reads a nullable union (a sweep's early stopping): none is valid, a chosen kind needs its required fields", () => {
    const sweepCreate = pickProperties(
      doc.components.schemas.SweepCreate!,
      ["method", "trials", "parallelism", "seed", "repeats", "earlyStopping", "metric"],
      doc,
    );
    const earlyStopping = doc.components.schemas.EarlyStopping!;
    expect(allowsNull(earlyStopping)).toBe(true);
    expect([...variantsOf(earlyStopping, doc)!.keys()]).toEqual(["asha", "median"]);
    const defaults = defaultValue(sweepCreate, doc);
    expect(defaults).toEqual({ parallelism: 2, seed: 0, repeats: 1, metric: "validationAccuracy" });
    expect(validateValue(sweepCreate, defaults, doc)).toEqual({});
    expect(validateValue(sweepCreate, { earlyStopping: null }, doc)).toEqual({});
    expect(validateValue(sweepCreate, { earlyStopping: { kind: "asha", eta: 1 } }, doc)).toEqual({
      "earlyStopping.minSteps": "required",
      "earlyStopping.eta": "must be at least 2",
    });
  });
});
