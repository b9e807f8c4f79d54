import { describe, expect, it } from "vitest";
import type { TrialRow } from "./report.ts";
import { SweepSubscription } from "./sweep-feed.ts";

const row = (i: number, status = "queued"): TrialRow => ({
  trialIndex: i,
  repeatIndex: 0,
  runId: `run_${i}`,
  status,
  params: {},
  value: null,
  step: 0,
  totalSteps: 10,
  msPerStep: null,
  error: null,
});

describe("a sweep stream's subscription", () => {
  it("hands a large snapshot out in parts, each run once at its latest, and the summary after the last part", () => {
    const subscription = new SweepSubscription(() => {});
    subscription.push(Array.from({ length: 1200 }, (_, i) => row(i)));
    subscription.push([row(1100, "canceled")]);
    subscription.end({ id: "swp" });
    const first = subscription.take(500);
    expect([first.rows.length, first.more, first.summary]).toEqual([500, true, undefined]);
    const second = subscription.take(500);
    expect([second.rows.length, second.more, second.summary]).toEqual([500, true, undefined]);
    const last = subscription.take(500);
    expect([last.rows.length, last.more, last.summary]).toEqual([200, undefined, { id: "swp" }]);
    const all = [...first.rows, ...second.rows, ...last.rows];
    expect(new Set(all.map((r) => r.runId)).size).toBe(1200);
    expect(all.find((r) => r.runId === "run_1100")!.status).toBe("canceled");
  });
});
