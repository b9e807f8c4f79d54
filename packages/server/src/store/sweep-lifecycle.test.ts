import { describe, expect, it } from "vitest";
import { StoreConflictError, type SweepRecord } from "./store.ts";
import { endSweepTransition, isSweepEnded, reopenSweepTransition } from "./sweep-lifecycle.ts";

const sweep = (status: SweepRecord["status"], spec: unknown = {}): SweepRecord => ({
  id: "sw",
  name: null,
  status,
  spec,
  stopReason: status === "running" ? null : "why",
  createdAt: 1,
  finishedAt: status === "running" ? null : 3,
  startedAt: 1,
  resumedAt: null,
  retryAt: null,
});

const idle = { active: 0 };
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof StoreConflictError ? error.code : error;
  }
  return "accepted";
};

describe("sweep lifecycle", () => {
  it("ends a running sweep as succeeded without a reason", () => {
    expect(endSweepTransition(sweep("running"), { status: "succeeded" }, 5)).toEqual({
      status: "succeeded",
      stopReason: null,
      finishedAt: 5,
    });
  });

  it("ends a running sweep as succeeded with its budget's reason", () => {
    expect(
      endSweepTransition(sweep("running"), { status: "succeeded", reason: "budget: wall clock" }, 5),
    ).toMatchObject({ status: "succeeded", stopReason: "budget: wall clock" });
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

  it("resumes an ended sweep whose runs stopped: running again, its clock and resume marker at now", () => {
    for (const status of ["canceled", "failed", "succeeded"] as const) {
      expect(reopenSweepTransition(sweep(status), { action: "resume" }, idle, 10)).toEqual({
        status: "running",
        stopReason: null,
        finishedAt: null,
        startedAt: 10,
        resumedAt: 10,
      });
    }
    const budget = { wallClockSeconds: 60 };
    expect(
      reopenSweepTransition(sweep("canceled", { trials: 4 }), { action: "resume", budget }, idle, 10).spec,
    ).toEqual({ trials: 4, budget });
  });

  it("refuses to resume a running sweep, or one whose trials are still stopping", () => {
    expect(refusal(() => reopenSweepTransition(sweep("running"), { action: "resume" }, idle, 10))).toBe(
      "SWEEP_ACTIVE",
    );
    expect(
      refusal(() => reopenSweepTransition(sweep("canceled"), { action: "resume" }, { active: 1 }, 10)),
    ).toBe("SWEEP_STOPPING");
  });

  it("retries on any sweep: an ended one runs again, a running one only gets the marker", () => {
    expect(reopenSweepTransition(sweep("failed"), { action: "retry" }, idle, 10)).toEqual({
      status: "running",
      stopReason: null,
      finishedAt: null,
      startedAt: 10,
      retryAt: 10,
    });
    expect(reopenSweepTransition(sweep("running"), { action: "retry" }, idle, 10)).toEqual({ retryAt: 10 });
  });

  it("extends a running or succeeded sweep by its trials, and refuses a canceled or failed one", () => {
    expect(
      reopenSweepTransition(sweep("succeeded", { trials: 4 }), { action: "extend", trials: 3 }, idle, 10),
    ).toEqual({ status: "running", stopReason: null, finishedAt: null, startedAt: 10, spec: { trials: 7 } });
    expect(
      reopenSweepTransition(sweep("running", { trials: 4 }), { action: "extend", trials: 1 }, idle, 10),
    ).toEqual({ spec: { trials: 5 } });
    for (const status of ["canceled", "failed"] as const) {
      expect(
        refusal(() => reopenSweepTransition(sweep(status), { action: "extend", trials: 1 }, idle, 10)),
      ).toBe("INVALID_TRANSITION");
    }
  });
});
