import type { Direction } from "./direction.ts";
import { noiseBand } from "./seed-noise.ts";

/** One config as the front sees it: per objective, the mean over its repeats and that mean's standard error. */
export interface ParetoPoint {
  means: readonly number[];
  standardErrors: readonly number[];
}

/**
 * True when `a` beats `b` beyond seed noise on every objective: in each objective's direction, a's mean is better
 * than b's by more than the leaderboard's noise band, 2 * sqrt(se_a^2 + se_b^2). With zero noise (a size metric)
 * that is strictly better. A config leaves the front only when another config dominates it in this sense.
 */
export function dominatesBeyondNoise(
  a: ParetoPoint,
  b: ParetoPoint,
  directions: readonly Direction[],
): boolean {
  for (let k = 0; k < directions.length; k++) {
    const gain = directions[k] === "maximize" ? a.means[k]! - b.means[k]! : b.means[k]! - a.means[k]!;
    if (!(gain > noiseBand(a.standardErrors[k]!, b.standardErrors[k]!))) return false;
  }
  return true;
}

/**
 * Corners in "larger is better" space, flat (point i, objective k at i * d + k): g -/+ c * se. The noise band
 * 2 sqrt(x^2 + y^2) lies between sqrt(2) (x + y) and 2 (x + y), so lower(A, sqrt 2) > upper(B, sqrt 2) on every
 * objective is necessary for A to dominate B, and lower(A, 2) > upper(B, 2) on every objective is sufficient.
 */
function corners(points: readonly ParetoPoint[], directions: readonly Direction[], c: number) {
  const d = directions.length;
  const lower = new Float64Array(points.length * d);
  const upper = new Float64Array(points.length * d);
  points.forEach((p, i) => {
    for (let k = 0; k < d; k++) {
      const gain = directions[k] === "maximize" ? p.means[k]! : -p.means[k]!;
      lower[i * d + k] = gain - c * p.standardErrors[k]!;
      upper[i * d + k] = gain + c * p.standardErrors[k]!;
    }
  });
  return { lower, upper };
}

/** Indices 0..n-1 sorted by `key` descending (ties by index). */
function byDescending(key: Float64Array, stride: number): number[] {
  const order = Array.from({ length: key.length / stride }, (_, i) => i);
  return order.sort((a, b) => key[b * stride]! - key[a * stride]! || a - b);
}

/**
 * For each point (two objectives), whether some other point's lower corner beats its upper corner on both: one
 * sweep over the first objective (descending) keeping the best second objective seen. O(n log n).
 */
function sweepDominated2d(lower: Float64Array, upper: Float64Array): Uint8Array {
  const byLower = byDescending(lower, 2);
  const byUpper = byDescending(upper, 2);
  const dominated = new Uint8Array(byUpper.length);
  let next = 0;
  let bestSecond = Number.NEGATIVE_INFINITY;
  for (const i of byUpper) {
    while (next < byLower.length && lower[byLower[next]! * 2]! > upper[i * 2]!) {
      bestSecond = Math.max(bestSecond, lower[byLower[next]! * 2 + 1]!);
      next += 1;
    }
    dominated[i] = bestSecond > upper[i * 2 + 1]! ? 1 : 0;
  }
  return dominated;
}

/**
 * Indices of the points no other point dominates beyond seed noise (dominatesBeyondNoise), ascending.
 * The relation is transitive (sqrt(x^2 + y^2) + sqrt(y^2 + z^2) >= sqrt(x^2 + z^2)) and a dominator is better on
 * the first objective, so every dominated point is dominated by a front member with a better first objective:
 * the points are taken best first on it and each is checked only against the front found so far (sort-filter,
 * O(n * front)). With two objectives, two sweep-lines settle most points first in O(n log n), one finding
 * the points surely dominated (sufficient corners) and one the points surely on the front (necessary corners);
 * the pairwise check runs only for the points between, and starts with the cheap necessary corners.
 */
export function paretoFront(points: readonly ParetoPoint[], directions: readonly Direction[]): number[] {
  const d = directions.length;
  if (d === 0) return points.map((_, i) => i);
  const second = d > 1 ? 1 : 0;
  const necessary = corners(points, directions, Math.SQRT2);
  let sure: Uint8Array | null = null;
  let possible: Uint8Array | null = null;
  if (d === 2) {
    const sufficient = corners(points, directions, 2);
    sure = sweepDominated2d(sufficient.lower, sufficient.upper);
    possible = sweepDominated2d(necessary.lower, necessary.upper);
  }
  const first = Float64Array.from(points, (p) => (directions[0] === "maximize" ? p.means[0]! : -p.means[0]!));
  const order = byDescending(first, 1);
  const { lower, upper } = necessary;
  const clears = (a: number, b: number) => {
    for (let k = 0; k < d; k++) if (!(lower[a * d + k]! > upper[b * d + k]!)) return false;
    return true;
  };
  // The front so far, best first on the first objective, with the running maximum of its members' necessary
  // corner on the second: scanning back from the last member that could clear b on the first objective, the scan
  // stops once no earlier member can clear it on the second.
  const front: number[] = [];
  const bestSecond: number[] = [];
  for (const b of order) {
    if (sure?.[b]) continue;
    let beaten = false;
    if (possible === null || possible[b] === 1) {
      const needFirst = upper[b * d]!;
      const needSecond = upper[b * d + second]!;
      let low = 0;
      let high = front.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (first[front[mid]!]! > needFirst) low = mid + 1;
        else high = mid;
      }
      for (let j = low - 1; j >= 0 && bestSecond[j]! > needSecond; j--) {
        const a = front[j]!;
        if (clears(a, b) && dominatesBeyondNoise(points[a]!, points[b]!, directions)) {
          beaten = true;
          break;
        }
      }
    }
    if (!beaten) {
      bestSecond.push(Math.max(bestSecond.at(-1) ?? Number.NEGATIVE_INFINITY, lower[b * d + second]!));
      front.push(b);
    }
  }
  return front.sort((a, b) => a - b);
}
