import { describe, expect, it } from "vitest";
import { bestIndex, downsampleCurve, sampleTrials } from "./plot-sampling.ts";
import { type PlotTrial, plotSampling, validationCurvesSpec } from "./plots.ts";

/** A noisy rising curve with one spike above everything (its best point) somewhere in the middle. */
function curve(length: number, spikeAt: number) {
  return Array.from({ length }, (_, i) => ({
    step: (i + 1) * 10,
    value: i === spikeAt ? 2 : Math.log(i + 2) + 0.1 * Math.sin(i * 1.7),
  }));
}

describe("downsampling a curve (LTTB)", () => {
  it("keeps the first, the last and the best point, within the threshold, in step order", () => {
    for (const spikeAt of [1, 37, 500, 998]) {
      const points = curve(1000, spikeAt);
      const sampled = downsampleCurve(points, 40, "maximize");
      expect(sampled.length).toBe(40);
      expect(sampled[0]).toEqual(points[0]);
      expect(sampled.at(-1)).toEqual(points.at(-1));
      expect(sampled).toContainEqual(points[spikeAt]);
      expect(sampled.map((p) => p.step)).toEqual([...sampled.map((p) => p.step)].sort((a, b) => a - b));
    }
  });

  it("puts the best point back where its bucket's triangle chose another (a dip right after it)", () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({
      step: i,
      value: i === 500 ? 1 : i === 501 ? -10 : 0,
    }));
    const sampled = downsampleCurve(points, 40, "maximize");
    expect(sampled).toContainEqual(points[500]);
    expect(sampled.length).toBe(40);
  });

  it("keeps the lowest point of a curve to minimise, and leaves a short curve alone", () => {
    const points = curve(300, 5).map((p) => ({ ...p, value: -p.value }));
    expect(downsampleCurve(points, 20, "minimize")).toContainEqual(
      points[
        bestIndex(
          points.map((p) => p.value),
          "minimize",
        )
      ],
    );
    expect(downsampleCurve(points.slice(0, 10), 20, "maximize")).toEqual(points.slice(0, 10));
  });
});

describe("sampling trials", () => {
  const items = Array.from({ length: 1000 }, (_, i) => ({ i, v: i % 7 === 0 ? null : (i * 7919) % 1000 }));

  it("keeps the best fifth, the first and the last, and spreads the rest, up to the cap", () => {
    const { items: kept, sampling } = sampleTrials(items, 100, (x) => x.v, "maximize");
    expect(sampling).toEqual({ shown: 100, of: 1000, method: "best+stride" });
    expect(kept.length).toBe(100);
    const best = [...items]
      .filter((x) => x.v !== null)
      .sort((a, b) => b.v! - a.v!)
      .slice(0, 20);
    for (const b of best) expect(kept).toContain(b);
    expect(kept[0]).toBe(items[0]);
    expect(kept.at(-1)).toBe(items.at(-1));
    expect(kept.map((x) => x.i)).toEqual([...kept.map((x) => x.i)].sort((a, b) => a - b));
  });

  it("keeps everything under the cap and says so", () => {
    expect(sampleTrials(items.slice(0, 10), 100, (x) => x.v, "maximize").sampling).toEqual({
      shown: 10,
      of: 10,
      method: "all",
    });
  });
});

describe("the validation-curves plot at scale", () => {
  it("draws the capped number of curves, the best trial's among them, and states the sampling", () => {
    const trials: PlotTrial[] = Array.from({ length: 120 }, (_, index) => ({
      index,
      params: { x: index },
      value: index === 77 ? 0.999 : 0.9 + (index % 10) / 1000,
      status: "succeeded",
      curve: curve(100, 50),
    }));
    const spec = validationCurvesSpec(trials, { limits: { curves: 30, pointsPerCurve: 25 } });
    const values = (spec as { data: { values: { trial: string }[] } }).data.values;
    const drawn = new Set(values.map((v) => v.trial));
    expect(drawn.size).toBe(30);
    expect(drawn.has("trial 77")).toBe(true);
    expect(values.length).toBe(30 * 25);
    expect(plotSampling(spec)).toEqual({
      trials: { shown: 30, of: 120, method: "best+stride" },
      points: { maxPerCurve: 25, method: "lttb+best" },
    });
    expect(JSON.stringify(spec.title)).toContain("showing 30 of 120 curves");
  });
});
