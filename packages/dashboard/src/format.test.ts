import { describe, expect, it } from "vitest";
import { flattenConfig, formatTick } from "./format.ts";

describe("formatTick", () => {
  it("writes small values (learning rates) in exponent form and others to three digits", () => {
    expect([0, 0.0003, 0.001, 0.25, 1, 0.1234567, 12.345].map(formatTick)).toEqual([
      "0",
      "3.0e−4",
      "1.0e−3",
      "0.25",
      "1",
      "0.123",
      "12.3",
    ]);
  });
});

describe("flattenConfig", () => {
  it("turns nested objects into dotted keys and keeps arrays as values", () => {
    expect(flattenConfig({ model: { kind: "cnn", channels: [32, 64] }, steps: 10 })).toEqual({
      "model.kind": "cnn",
      "model.channels": [32, 64],
      steps: 10,
    });
  });
});
