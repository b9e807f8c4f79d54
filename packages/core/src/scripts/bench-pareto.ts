// `pnpm --filter @sweeplab/core bench-pareto`: the studies figures, printed as one JSON line each.
// - front: buildParetoFront (grouping by config, per-objective means and standard errors, the front within seed
//   noise) over 10,000 synthetic trials: 10,000 configs once, and 3,334 configs x 3 repeats; 2 objectives
//   (validation accuracy up, ms per step down) and 3 (plus parameter count down); then paretoFront alone on the
//   tests' adversarial set (10,000 points along a front band, 11 % on the front in 2 objectives, 43 % in 3).
//   First call (cold), then the median and the fastest of 21 more, wall and CPU ms.
// - sampler: MOTPE and random search on the tests' 10 x 10 grid with a third of its trials: hypervolume as a share
//   of the full grid's, per sweep seed.
// - repeats: fixed repeats 3 against racing (maxRepeats 3) on the tests' 16 noisy configs: runs and leaders.
import { SeededRandom } from "../data/random.ts";
import type { Direction } from "../sweep/direction.ts";
import { hypervolume } from "../sweep/hypervolume.ts";
import type { Objective } from "../sweep/objectives.ts";
import { paretoFront } from "../sweep/pareto.ts";
import { buildParetoFront, type ParetoTrial } from "../sweep/pareto-configs.ts";
import { compareRepeats, gridStudy, SAMPLER_DIRECTIONS, sweepSynthetic } from "../sweep/synthetic.ts";

const OBJECTIVES: Objective[] = [
  { metric: "validationAccuracy", direction: "maximize" },
  { metric: "msPerStep", direction: "minimize" },
  { metric: "parameterCount", direction: "minimize" },
];

/** Random MLP-like configs: accuracy from width, depth and lr with seed noise; time from width and depth. */
function syntheticTrials(configs: number, repeats: number): ParetoTrial[] {
  const random = new SeededRandom(42);
  const trials: ParetoTrial[] = [];
  for (let c = 0; c < configs; c++) {
    const width = 16 + random.int(1009);
    const depth = 1 + random.int(4);
    const lr = Math.exp(random.uniform(Math.log(1e-4), Math.log(3e-2)));
    for (let r = 0; r < repeats; r++) {
      const accuracy = 0.99 - 0.3 / Math.sqrt(width * depth) - 0.03 * Math.log10(lr / 3e-3) ** 2;
      const parameterCount = 784 * width + (depth - 1) * width * width + 10 * width;
      trials.push({
        id: trials.length,
        params: { width, depth, lr },
        results: {
          validationAccuracy: accuracy + 0.0015 * (random.next() + random.next() + random.next() - 1.5) * 2,
          msPerStep: 1 + (width * depth) / 200 + 0.2 * random.next(),
          parameterCount,
        },
      });
    }
  }
  return trials;
}

/** Wall and CPU milliseconds (user + system, every thread: on a shared machine the CPU time is the steadier). */
function measure(work: () => number): { wallMs: number; cpuMs: number; front: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const front = work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000, front };
}

function time(work: () => number) {
  const cold = measure(work);
  const warm = Array.from({ length: 21 }, () => measure(work));
  const median = (key: "wallMs" | "cpuMs") => warm.map((m) => m[key]).sort((a, b) => a - b)[10]!;
  const round = (x: number) => Number(x.toFixed(1));
  return {
    coldWallMs: round(cold.wallMs),
    coldCpuMs: round(cold.cpuMs),
    medianWallMs: round(median("wallMs")),
    medianCpuMs: round(median("cpuMs")),
    minWallMs: round(Math.min(...warm.map((m) => m.wallMs))),
    front: cold.front,
  };
}

function adversarial(d: number): { means: number[]; standardErrors: number[] }[] {
  const random = new SeededRandom(7);
  return Array.from({ length: 10_000 }, () => {
    const u = Array.from({ length: d }, () => random.next());
    const norm = Math.hypot(...u);
    return {
      means: u.map((x, k) => ((k % 2 ? -1 : 1) * x) / norm + random.next() * 0.05),
      standardErrors: u.map(() => random.next() * 0.004),
    };
  });
}

for (const [configs, repeats] of [
  [10_000, 1],
  [3_334, 3],
] as const) {
  const trials = syntheticTrials(configs, repeats);
  for (const d of [2, 3]) {
    const objectives = OBJECTIVES.slice(0, d);
    const result = time(() => buildParetoFront(trials, objectives).filter((c) => c.onFront).length);
    console.log(
      JSON.stringify({ bench: "front", trials: trials.length, configs, repeats, objectives: d, ...result }),
    );
  }
}
for (const d of [2, 3]) {
  const points = adversarial(d);
  const directions: Direction[] = Array.from({ length: d }, (_, k) => (k % 2 ? "minimize" : "maximize"));
  const result = time(() => paretoFront(points, directions).length);
  console.log(
    JSON.stringify({ bench: "front-adversarial", points: points.length, objectives: d, ...result }),
  );
}

const grid = gridStudy();
const budget = Math.floor(grid.points.length / 3);
for (const method of ["motpe", "random"] as const) {
  const ratios = [0, 1, 2, 3, 4, 5].map((seed) => {
    const values = sweepSynthetic(seed, budget, method).map((t) => t.values as number[]);
    return Number((hypervolume(values, SAMPLER_DIRECTIONS, grid.reference) / grid.volume).toFixed(4));
  });
  const mean = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4));
  console.log(
    JSON.stringify({
      bench: "sampler",
      method,
      trials: budget,
      grid: grid.points.length,
      ratios,
      meanSeeds012: mean(ratios.slice(0, 3)),
      meanSeeds0to5: mean(ratios),
    }),
  );
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  const { racedBoard: _, ...result } = compareRepeats(seed);
  console.log(
    JSON.stringify({
      bench: "repeats",
      seed,
      ...result,
      sameLeader: result.fixedLeader === result.racedLeader,
    }),
  );
}
