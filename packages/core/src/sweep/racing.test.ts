import { describe, expect, it } from "vitest";
import type { LeaderboardTrial } from "./leaderboard.ts";
import { nextRepeat, pendingRepeats } from "./racing.ts";
import { compareRepeats } from "./synthetic.ts";

describe("adaptive repeats (racing)", () => {
  it("finds the leader of fixed repeats 3 (within its noise) with fewer runs, on 3 sweep seeds", () => {
    for (const seed of [1, 2, 3]) {
      const result = compareRepeats(seed);
      expect(result.racedRuns).toBeLessThan(result.fixedRuns);
      expect(result.racedLeaderWithinFixedNoise).toBe(true);
      // Every config within noise of the leader at the end had the maximum number of seeds.
      for (const entry of result.racedBoard.filter((e) => e.withinNoise)) expect(entry.n).toBe(3);
    }
  });

  it("repeats a config within noise of the best and the best while contested, up to the maximum", () => {
    const t = (id: number, x: number, value: number | null): LeaderboardTrial => ({
      id,
      params: { x },
      value,
    });
    const history = [t(1, 1, 0.98), t(2, 2, 0.979), t(3, 3, 0.95), t(4, 4, null)];
    const ask = (x: number, h = history) => nextRepeat(h, { params: { x } });
    expect(ask(1)).toEqual({ repeat: true, reason: "leader-contested", runs: 1 });
    expect(ask(2)).toEqual({ repeat: true, reason: "overlaps-best", runs: 1 });
    expect(ask(3)).toEqual({ repeat: false, reason: "beaten-beyond-noise", runs: 1 });
    expect(ask(4)).toEqual({ repeat: false, reason: "no-result", runs: 1 });
    expect(ask(5)).toEqual({ repeat: true, reason: "below-minimum", runs: 0 });
    expect(ask(1, [t(1, 1, 0.98), t(3, 3, 0.95)])).toMatchObject({ repeat: false, reason: "leader-alone" });
    const full = [...history, t(5, 2, 0.979), t(6, 2, 0.9791)];
    expect(ask(2, full)).toEqual({ repeat: false, reason: "at-maximum", runs: 3 });
    expect(nextRepeat(history, { params: { x: 3 }, minRepeats: 2 })).toMatchObject({
      reason: "below-minimum",
    });
    expect(nextRepeat(history, { params: { x: 3 }, direction: "minimize" })).toMatchObject({
      reason: "leader-alone",
    });
    expect(pendingRepeats(history)).toEqual([{ x: 1 }, { x: 2 }]);
    expect(() => nextRepeat(history, { params: { x: 1 }, minRepeats: 4, maxRepeats: 3 })).toThrow();
  });
});
