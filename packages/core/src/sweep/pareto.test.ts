import { describe, expect, it } from "vitest";
import { SeededRandom } from "../data/random.ts";
import type { Direction } from "./direction.ts";
import type { Objective } from "./objectives.ts";
import { dominatesBeyondNoise, type ParetoPoint, paretoFront } from "./pareto.ts";
import { buildParetoFront, type ParetoTrial } from "./pareto-configs.ts";

/** The reference: every pair, the noise rule written out. Tests only. */
function bruteForceFront(points: readonly ParetoPoint[], directions: readonly Direction[]): number[] {
  const beats = (a: ParetoPoint, b: ParetoPoint) => {
    for (let k = 0; k < directions.length; k++) {
      const diff = directions[k] === "maximize" ? a.means[k]! - b.means[k]! : b.means[k]! - a.means[k]!;
      if (!(diff > 2 * Math.sqrt(a.standardErrors[k]! ** 2 + b.standardErrors[k]! ** 2))) return false;
    }
    return true;
  };
  const front: number[] = [];
  for (let i = 0; i < points.length; i++) {
    let beaten = false;
    for (let j = 0; j < points.length && !beaten; j++) beaten = j !== i && beats(points[j]!, points[i]!);
    if (!beaten) front.push(i);
  }
  return front;
}

const ACCURACY: Objective = { metric: "validationAccuracy", direction: "maximize" };
const SPEED: Objective = { metric: "msPerStep", direction: "minimize" };
const SIZE: Objective = { metric: "parameterCount", direction: "minimize" };

/** 6 widths x 6 learning rates, 3 seeds each: accuracy grows with width and peaks at one rate, time grows with width. */
function gridTrials(seed: number): ParetoTrial[] {
  const random = new SeededRandom(seed);
  const noise = (scale: number) => scale * (random.next() + random.next() + random.next() - 1.5) * 2;
  const trials: ParetoTrial[] = [];
  for (const width of [32, 64, 128, 256, 512, 768]) {
    for (const lr of [0.0003, 0.001, 0.002, 0.003, 0.01, 0.03]) {
      for (let repeat = 0; repeat < 3; repeat++) {
        const accuracy = 0.99 - 8 / width / 10 - 0.004 * Math.log(lr / 0.002) ** 2 + noise(0.002);
        const msPerStep = 2 + width / 100 + noise(0.2);
        const failed = width === 64 && lr === 0.03 && repeat === 1;
        trials.push({
          id: trials.length,
          params: { width, lr },
          results: { validationAccuracy: failed ? null : accuracy, msPerStep, parameterCount: 785 * width },
        });
      }
    }
  }
  return trials;
}

describe("paretoFront", () => {
  it("on a 36-config grid with 3 repeats equals the brute-force non-dominated set, noise rule included", () => {
    for (const objectives of [
      [ACCURACY, SPEED],
      [ACCURACY, SPEED, SIZE],
    ]) {
      for (const seed of [1, 2, 3]) {
        const configs = buildParetoFront(gridTrials(seed), objectives);
        expect(configs).toHaveLength(36);
        const points = configs.map((c) => ({
          means: c.means as number[],
          standardErrors: c.standardErrors as number[],
        }));
        const directions = objectives.map((o) => o.direction);
        const expected = bruteForceFront(points, directions);
        expect(configs.flatMap((c, i) => (c.onFront ? [i] : []))).toEqual(expected);
        // The noise rule matters here: ignoring it (standard errors 0) gives a smaller front.
        const noiseless = bruteForceFront(
          points.map((p) => ({ means: p.means, standardErrors: p.standardErrors.map(() => 0) })),
          directions,
        );
        expect(noiseless.length).toBeLessThan(expected.length);
        expect(noiseless.every((i) => expected.includes(i))).toBe(true);
      }
    }
  });

  it("keeps a config beaten on every objective but within noise on one, and drops it beyond noise", () => {
    const directions: Direction[] = ["maximize", "minimize"];
    const best = { means: [0.98, 5], standardErrors: [0.001, 0.1] };
    const close = { means: [0.978, 6], standardErrors: [0.001, 0.1] };
    const far = { means: [0.97, 6], standardErrors: [0.001, 0.1] };
    expect(dominatesBeyondNoise(best, close, directions)).toBe(false);
    expect(dominatesBeyondNoise(best, far, directions)).toBe(true);
    expect(paretoFront([best, close, far], directions)).toEqual([0, 1]);
  });

  it("with zero noise asks for strictly better on every objective", () => {
    const directions: Direction[] = ["minimize", "minimize"];
    const points = [
      { means: [1, 1], standardErrors: [0, 0] },
      { means: [1, 2], standardErrors: [0, 0] },
      { means: [2, 2], standardErrors: [0, 0] },
    ];
    expect(paretoFront(points, directions)).toEqual([0, 1]);
    // One objective: the configs no other beats beyond noise.
    expect(paretoFront(points, ["minimize"])).toEqual([0, 1]);
    expect(paretoFront(points, [])).toEqual([0, 1, 2]);
  });

  it("matches brute force on 10,000 noisy points in 2 objectives and 3,000 in 3", () => {
    const random = new SeededRandom(7);
    for (const [d, count] of [
      [2, 10_000],
      [3, 3_000],
    ] as const) {
      const directions: Direction[] = Array.from({ length: d }, (_, k) => (k % 2 ? "minimize" : "maximize"));
      const points = Array.from({ length: count }, () => {
        const u = Array.from({ length: d }, () => random.next());
        const norm = Math.hypot(...u);
        return {
          means: u.map((x, k) => ((k % 2 ? -1 : 1) * x) / norm + random.next() * 0.05),
          standardErrors: u.map(() => random.next() * 0.004),
        };
      });
      const front = paretoFront(points, directions);
      expect(front.length).toBeGreaterThan(10);
      expect(front).toEqual(bruteForceFront(points, directions));
    }
  });
});

describe("buildParetoFront", () => {
  it("groups repeats, skips trials missing an objective and marks no front without results", () => {
    const configs = buildParetoFront(
      [
        { id: "a", params: { w: 1 }, results: { validationAccuracy: 0.9, msPerStep: 1 } },
        { id: "b", params: { w: 1 }, results: { validationAccuracy: 0.92, msPerStep: 1.2 } },
        { id: "c", params: { w: 2 }, results: { validationAccuracy: null, msPerStep: 3 } },
      ],
      [ACCURACY, SPEED],
    );
    expect(configs.map((c) => [c.key, c.trialIds, c.n, c.onFront])).toEqual([
      ['{"w":1}', ["a", "b"], 2, true],
      ['{"w":2}', ["c"], 0, false],
    ]);
    expect(configs[0]!.means[0]).toBeCloseTo(0.91, 10);
    expect(configs[0]!.standardErrors[0]).toBeCloseTo(0.01, 10);
  });
});
