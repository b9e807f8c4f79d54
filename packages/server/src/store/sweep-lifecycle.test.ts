import { describe, expect, it } from "vitest";
import type { SweepRecord } from "./store.ts";
import { endSweepTransition, isSweepEnded } from "./sweep-lifecycle.ts";

const sweep = (status: SweepRecord["status"]): SweepRecord => ({
  id: "sw",
  name: null,
  status,
  spec: {},
  stopReason: null,
  createdAt: 1,
  finishedAt: null,
});

describe("sweep lifecycle", () => {
  it("ends a running sweep as succeeded without a reason", () => {
    expect(endSweepTransition(sweep("running"), { status: "succeeded" }, 5)).toEqual({
      status: "succeeded",
      stopReason: null,
      finishedAt: 5,
    });
  });

  it("ends a running sweep as failed or canceled with its reason", () => {
    expect(
      endSweepTransition(sweep("running"), { status: "failed", reason: "too many failures" }, 7),
    ).toEqual({
      status: "failed",
      stopReason: "too many failures",
      finishedAt: 7,
    });
    expect(
      endSweepTransition(sweep("running"), { status: "canceled", reason: "by request" }, 7),
    ).toMatchObject({
      status: "canceled",
      stopReason: "by request",
    });
  });

  it("changes nothing on a sweep that ended already", () => {
    for (const status of ["succeeded", "failed", "canceled"] as const) {
      expect(isSweepEnded(sweep(status))).toBe(true);
      expect(endSweepTransition(sweep(status), { status: "canceled", reason: "late" }, 9)).toBeUndefined();
    }
    expect(isSweepEnded(sweep("running"))).toBe(false);
  });
});
