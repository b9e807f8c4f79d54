// Synthetic studies with known answers, shared by the tests and scripts/bench-pareto.ts (not part of the public
// surface): a two-objective sweep for the multi-objective sampler and noisy configs for adaptive repeats.
import { SeededRandom } from "../data/random.ts";
import type { Direction } from "./direction.ts";
import { hypervolume } from "./hypervolume.ts";
import { buildLeaderboard, type LeaderboardTrial } from "./leaderboard.ts";
import { pendingRepeats } from "./racing.ts";
import { gridPoints } from "./samplers/grid.ts";
import { type MultiObjectiveTrial, nonDominatedRanks, proposeMotpe } from "./samplers/motpe.ts";
import { proposeRandom } from "./samplers/random.ts";
import { parseSearchSpace, type TrialParams } from "./space.ts";

export const WIDTHS = [16, 32, 64, 96, 128, 192, 256, 384, 512, 768];
const RATES = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 1e-2, 2e-2, 5e-2];
/** A 10 x 10 grid: width (categorical) and learning rate (log-uniform, the grid visiting 10 values). */
export const SAMPLER_SPACE = parseSearchSpace({
  parameters: [
    { name: "width", path: "model.width", type: "categorical", values: WIDTHS },
    { name: "lr", path: "optimizer.learningRate", type: "log-uniform", low: 1e-4, high: 5e-2, values: RATES },
  ],
});
export const SAMPLER_DIRECTIONS: Direction[] = ["maximize", "minimize"];

/** Accuracy grows with width and peaks at lr 3e-3; time per step grows with width alone. */
export function evaluateSynthetic(params: TrialParams): number[] {
  const width = params.width as number;
  const lr = params.lr as number;
  return [0.99 - 0.3 / Math.sqrt(width) - 0.05 * Math.log10(lr / 3e-3) ** 2, 1 + width / 50];
}

/** The grid's points, its front, the reference (the front's worst values, 10 % of its range further) and volume. */
export function gridStudy() {
  const points = gridPoints(SAMPLER_SPACE).map(evaluateSynthetic);
  const ranks = nonDominatedRanks(points, SAMPLER_DIRECTIONS);
  const front = points.filter((_, i) => ranks[i] === 0);
  const values = (k: number) => front.map((v) => v[k]!);
  const span = (k: number) => Math.max(...values(k)) - Math.min(...values(k));
  const reference = [Math.min(...values(0)) - 0.1 * span(0), Math.max(...values(1)) + 0.1 * span(1)];
  return { points, front, reference, volume: hypervolume(points, SAMPLER_DIRECTIONS, reference) };
}

/** `trials` trials of MOTPE (or random search) on the synthetic problem with sweep seed `seed`. */
export function sweepSynthetic(
  seed: number,
  trials: number,
  method: "motpe" | "random",
): MultiObjectiveTrial[] {
  const history: MultiObjectiveTrial[] = [];
  for (let i = 0; i < trials; i++) {
    const input = { space: SAMPLER_SPACE, seed, trialIndex: i };
    const { params } =
      method === "motpe"
        ? proposeMotpe({ ...input, history, directions: SAMPLER_DIRECTIONS })
        : proposeRandom(input);
    history.push({ trialIndex: i, params, values: evaluateSynthetic(params) });
  }
  return history;
}

/** 16 configs, a few close to the top; seed noise normal with std 0.0015 (the leaderboard's assumed std). */
export const TRUE_MEANS = [
  0.985, 0.9842, 0.9825, 0.981, 0.98, 0.979, 0.978, 0.976, 0.975, 0.973, 0.97, 0.968, 0.965, 0.96, 0.95, 0.94,
];

/** Config c's repeat r in sweep `seed`: the same draw whichever strategy asks for it. */
export function noisyRun(seed: number, config: number, repeat: number): LeaderboardTrial {
  const random = new SeededRandom(seed * 10_007 + config * 101 + repeat);
  const normal = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  return { id: `${config}/${repeat}`, params: { config }, value: TRUE_MEANS[config]! + 0.0015 * normal };
}

/** Every config once, then another seed for each config racing asks for, round by round, until none is asked. */
export function raceNoisyConfigs(seed: number, maxRepeats = 3): LeaderboardTrial[] {
  const history = TRUE_MEANS.map((_, c) => noisyRun(seed, c, 0));
  for (;;) {
    const pending = pendingRepeats(history, { maxRepeats });
    if (pending.length === 0) return history;
    for (const params of pending) {
      const c = params.config as number;
      history.push(noisyRun(seed, c, history.filter((t) => t.params.config === c).length));
    }
  }
}

/** Fixed repeats against racing on sweep seed `seed`: runs each and whether racing's leader is within fixed's noise. */
export function compareRepeats(seed: number, fixedRepeats = 3) {
  const fixed = TRUE_MEANS.flatMap((_, c) =>
    Array.from({ length: fixedRepeats }, (_, r) => noisyRun(seed, c, r)),
  );
  const fixedBoard = buildLeaderboard(fixed);
  const raced = raceNoisyConfigs(seed, fixedRepeats);
  const racedBoard = buildLeaderboard(raced);
  return {
    fixedRuns: fixed.length,
    racedRuns: raced.length,
    fixedLeader: fixedBoard[0]!.key,
    racedLeader: racedBoard[0]!.key,
    racedLeaderWithinFixedNoise: fixedBoard.find((e) => e.key === racedBoard[0]!.key)!.withinNoise,
    racedBoard,
  };
}
