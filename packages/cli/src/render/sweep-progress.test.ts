import type { SweepSummary } from "@sweeplab/sdk";
import { describe, expect, it } from "vitest";
import { progressLine, untilText } from "./sweep-progress.ts";

const summary = (over: Partial<SweepSummary>) =>
  ({ status: "running", stopReason: null, ...over }) as SweepSummary;

describe("sweep progress line", () => {
  it("shows the budget and the estimated finish of a running sweep", () => {
    const now = Date.parse("2026-12-03T10:00:00Z");
    expect(
      progressLine(
        summary({
          budget: { wallClockSeconds: 300, maxTrials: 20 },
          estimatedFinishAt: "2026-12-03T10:03:20Z",
        }),
        now,
      ),
    ).toBe("budget 5 min, 20 trial runs; estimated finish 10:03:20 UTC (in 3m 20s)");
    expect(progressLine(summary({}), now)).toBe("estimated finish: after its first trial");
  });

  it("shows why an ended sweep stopped, and nothing for a plain finished one", () => {
    expect(
      progressLine(summary({ status: "succeeded", stopReason: "budget: limit of 3 trial runs reached" })),
    ).toBe("stopped: budget: limit of 3 trial runs reached");
    expect(progressLine(summary({ status: "succeeded" }))).toBeUndefined();
  });

  it("writes durations in seconds, minutes or hours", () => {
    expect(untilText(42_000, 0)).toBe("42s");
    expect(untilText(3_725_000, 0)).toBe("1h 02m");
    expect(untilText(-5, 0)).toBe("0s");
  });
});
