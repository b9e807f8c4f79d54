import { describe, expect, it } from "vitest";
import {
  flattenConfig,
  formatDate,
  formatMetric,
  formatParameter,
  formatSpread,
  formatTick,
} from "./format.ts";

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

describe("sweep formats", () => {
  it("writes accuracies in percent and losses as numbers", () => {
    expect(formatMetric(0.97123, "validationAccuracy")).toBe("97.12 %");
    expect(formatSpread(0.0015, "validationAccuracy")).toBe("0.15");
    expect(formatMetric(0.123456, "validationLoss")).toBe("0.1235");
    expect(formatMetric(null, "validationLoss")).toBe("–");
  });

  it("writes parameters compactly", () => {
    expect(formatParameter(0.00123456)).toBe("0.00123");
    expect(formatParameter(128)).toBe("128");
    expect(formatParameter({ kind: "sgd", momentum: 0.9 })).toBe("sgd, momentum 0.9");
    expect(formatParameter("silu")).toBe("silu");
  });
});

describe("formatDate", () => {
  it("writes a time in the local time zone as date and minutes, and a dash for none or an invalid one", () => {
    const local = new Date(2026, 11, 3, 9, 5, 59);
    expect(formatDate(local.toISOString())).toBe("2026-12-03 09:05");
    expect([null, undefined, "", "not a date"].map(formatDate)).toEqual(["–", "–", "–", "–"]);
  });
});
