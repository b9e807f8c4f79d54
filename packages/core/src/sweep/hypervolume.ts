import { CoreError } from "../errors.ts";
import type { Direction } from "./direction.ts";

/** Area dominated by points given as gains over the reference (all positive), largest first on the first gain. */
function area2d(gains: readonly (readonly number[])[]): number {
  const sorted = [...gains].sort((a, b) => b[0]! - a[0]!);
  let area = 0;
  let covered = 0;
  for (const [x, y] of sorted) {
    if (y! > covered) {
      area += x! * (y! - covered);
      covered = y!;
    }
  }
  return area;
}

/** Volume dominated by gains in d >= 2 dimensions: slabs along the last gain, each an area / volume one lower. */
function volume(gains: readonly (readonly number[])[], d: number): number {
  if (d === 2) return area2d(gains);
  const sorted = [...gains].sort((a, b) => b[d - 1]! - a[d - 1]!);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const depth = sorted[i]![d - 1]! - (sorted[i + 1]?.[d - 1] ?? 0);
    if (depth > 0) total += depth * volume(sorted.slice(0, i + 1), d - 1);
  }
  return total;
}

/**
 * The hypervolume of `points` (one value per objective, in the objectives' order) against `reference`: the
 * measure of the region each point dominates up to the reference, in the objectives' directions (the reference
 * is a bad point: below every maximised objective, above every minimised one). Points not strictly better than
 * the reference on every objective add nothing; dominated points add nothing. Two objectives: one sort and a
 * sweep, O(n log n); three: slabs along the third objective, each a two-objective area, O(n^2 log n).
 */
export function hypervolume(
  points: readonly (readonly number[])[],
  directions: readonly Direction[],
  reference: readonly number[],
): number {
  const d = directions.length;
  if (d < 2 || d > 3 || reference.length !== d) {
    throw new CoreError(
      "INVALID_CONFIG",
      `hypervolume: 2 or 3 objectives with a reference value each (got ${d} and ${reference.length})`,
    );
  }
  const gains = points
    .map((p) =>
      directions.map((dir, k) => (dir === "maximize" ? p[k]! - reference[k]! : reference[k]! - p[k]!)),
    )
    .filter((g) => g.every((x) => x > 0));
  return volume(gains, d);
}
