// What a plot draws of a large sweep: every trial up to a cap, then the best ones and an even spread of the rest;
// every curve up to a number of points, then Largest-Triangle-Three-Buckets (Steinarsson 2013), which keeps a
// curve's shape, its first and last points, and here its best point too. Each plot says what it sampled.
import type { Direction } from "@sweeplab/core";

export interface Point {
  step: number;
  value: number;
}

/** What a plot drew of what it had: stated in the figure's subtitle and the plot response's header. */
export interface PlotSampling {
  trials: { shown: number; of: number; method: "all" | "best+stride" };
  points?: { maxPerCurve: number; method: "lttb+best" };
}

/** The plots' caps: more than this and a figure is sampled. */
export const PLOT_LIMITS = {
  /** Validation curves drawn, and points per curve. */
  curves: 50,
  pointsPerCurve: 40,
  /** Lines of the parallel coordinates, and points per scatter panel. */
  lines: 500,
  points: 1000,
} as const;

const better = (direction: Direction) => (a: number, b: number) => (direction === "maximize" ? a > b : a < b);

/** The index of the best value (the first of equals). */
export function bestIndex(values: readonly number[], direction: Direction): number {
  const isBetter = better(direction);
  let best = 0;
  for (let i = 1; i < values.length; i++) if (isBetter(values[i]!, values[best]!)) best = i;
  return best;
}

/**
 * At most `max` items: all of them when they fit; else the best fifth by `value` (nulls never count as best), the
 * first and the last, and an even stride over the rest. Kept in their given order.
 */
export function sampleTrials<T>(
  items: readonly T[],
  max: number,
  value: (item: T) => number | null,
  direction: Direction,
): { items: T[]; sampling: PlotSampling["trials"] } {
  if (items.length <= max)
    return { items: [...items], sampling: { shown: items.length, of: items.length, method: "all" } };
  const keep = new Set<number>([0, items.length - 1]);
  const isBetter = better(direction);
  const scored = items
    .map((item, i) => ({ i, v: value(item) }))
    .filter((x): x is { i: number; v: number } => x.v !== null && Number.isFinite(x.v))
    .sort((a, b) => (isBetter(a.v, b.v) ? -1 : isBetter(b.v, a.v) ? 1 : a.i - b.i));
  for (const { i } of scored.slice(0, Math.max(1, Math.floor(max / 5)))) keep.add(i);
  const rest = max - keep.size;
  if (rest > 0) {
    const stride = items.length / rest;
    for (let k = 0; k < rest && keep.size < max; k++)
      keep.add(Math.min(items.length - 1, Math.floor(k * stride)));
  }
  // A stride landing on an index already kept leaves room: fill it with the next indices not yet kept.
  for (let i = 0; keep.size < max && i < items.length; i++) keep.add(i);
  const chosen = [...keep].sort((a, b) => a - b).map((i) => items[i]!);
  return { items: chosen, sampling: { shown: chosen.length, of: items.length, method: "best+stride" } };
}

/**
 * A curve reduced to at most `threshold` points by LTTB: the first and last points always, one point per bucket
 * between them (the one making the largest triangle with its neighbours' choices), and the best point by
 * `direction` put back in place of its bucket's choice when LTTB dropped it.
 */
export function downsampleCurve(points: readonly Point[], threshold: number, direction: Direction): Point[] {
  if (threshold >= points.length || threshold < 3) return [...points];
  const sampled: Point[] = [points[0]!];
  const bucketSize = (points.length - 2) / (threshold - 2);
  let a = 0;
  const picks: number[] = [0];
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.min(points.length - 1, Math.floor((bucket + 1) * bucketSize) + 1);
    // The next bucket's average point (the last point for the last bucket).
    const nextStart = end;
    const nextEnd = Math.min(points.length, Math.floor((bucket + 2) * bucketSize) + 1);
    let avgStep = 0;
    let avgValue = 0;
    const span = Math.max(1, nextEnd - nextStart);
    for (let i = nextStart; i < nextStart + span && i < points.length; i++) {
      avgStep += points[i]!.step;
      avgValue += points[i]!.value;
    }
    avgStep /= span;
    avgValue /= span;
    const pa = points[a]!;
    let chosen = start;
    let largest = -1;
    for (let i = start; i < end; i++) {
      const p = points[i]!;
      const area = Math.abs(
        (pa.step - avgStep) * (p.value - pa.value) - (pa.step - p.step) * (avgValue - pa.value),
      );
      if (area > largest) {
        largest = area;
        chosen = i;
      }
    }
    picks.push(chosen);
    sampled.push(points[chosen]!);
    a = chosen;
  }
  picks.push(points.length - 1);
  sampled.push(points.at(-1)!);
  const best = bestIndex(
    points.map((p) => p.value),
    direction,
  );
  if (!picks.includes(best)) {
    // Replace the pick of the bucket holding the best point (never the first or the last).
    const bucket = Math.min(threshold - 3, Math.max(0, Math.floor((best - 1) / bucketSize)));
    sampled[bucket + 1] = points[best]!;
  }
  return sampled;
}

/** The figure's subtitle for a sampling, or undefined when everything was drawn. */
export function samplingSubtitle(sampling: PlotSampling, noun: string): string | undefined {
  const parts: string[] = [];
  if (sampling.trials.method !== "all") {
    parts.push(
      `showing ${sampling.trials.shown.toLocaleString("en")} of ${sampling.trials.of.toLocaleString("en")} ${noun}: the best and an even spread`,
    );
  }
  if (sampling.points)
    parts.push(`at most ${sampling.points.maxPerCurve} points per curve (LTTB, best kept)`);
  return parts.length > 0 ? parts.join("; ") : undefined;
}
