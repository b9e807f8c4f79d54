import { z } from "zod";
import type { Direction } from "./direction.ts";
import { buildLeaderboard, type LeaderboardEntry, type LeaderboardTrial } from "./leaderboard.ts";
import { canonicalJson } from "./params-key.ts";
import type { TrialParams } from "./space.ts";

/** `repeats: auto` (racing): how many seeds a config may get. */
export const AdaptiveRepeatsSchema = z
  .strictObject({
    /** Seeds every config gets before racing decides. Default 1. */
    minRepeats: z.int().min(1).max(20).default(1),
    /** No config gets more. Default 3 (the fixed count racing saves runs against). */
    maxRepeats: z.int().min(2).max(20).default(3),
  })
  .refine((r) => r.minRepeats <= r.maxRepeats, { message: "minRepeats must not exceed maxRepeats" })
  .meta({ id: "AdaptiveRepeats" });
export type AdaptiveRepeats = z.infer<typeof AdaptiveRepeatsSchema>;
export type AdaptiveRepeatsInput = z.input<typeof AdaptiveRepeatsSchema>;

export interface RepeatOptions extends AdaptiveRepeatsInput {
  /** Default `maximize`. */
  direction?: Direction;
  /** As the leaderboard's: the seed std assumed while no config has been repeated. */
  assumedSeedStd?: number;
}

/** Why a config does or does not get another seed. */
export type RepeatReason =
  | "below-minimum"
  | "overlaps-best"
  | "leader-contested"
  | "leader-alone"
  | "beaten-beyond-noise"
  | "at-maximum"
  | "no-result";

export interface RepeatDecision {
  repeat: boolean;
  reason: RepeatReason;
  /** Runs of the config so far (with or without a result). */
  runs: number;
}

function decide(
  entry: LeaderboardEntry,
  board: readonly LeaderboardEntry[],
  settings: AdaptiveRepeats,
): RepeatDecision {
  const runs = entry.trialIds.length;
  const say = (repeat: boolean, reason: RepeatReason) => ({ repeat, reason, runs });
  if (entry.mean === null) return say(false, "no-result");
  if (runs >= settings.maxRepeats) return say(false, "at-maximum");
  if (entry.n < settings.minRepeats) return say(true, "below-minimum");
  if (entry.rank === 1) {
    const contested = board.some((other) => other !== entry && other.mean !== null && other.withinNoise);
    return say(contested, contested ? "leader-contested" : "leader-alone");
  }
  return entry.withinNoise ? say(true, "overlaps-best") : say(false, "beaten-beyond-noise");
}

/**
 * Racing: whether the config with `params` deserves another seed, judged on every result so far by the
 * leaderboard's noise rule. Up to maxRepeats runs, it does when it has fewer than minRepeats results, when its
 * interval overlaps the best's (within seed noise of the best), or, being the best, when another config's interval
 * overlaps its own; it does not once beaten beyond noise, alone at the top, or without any result (a config that
 * failed). Ask again as results arrive: a config stopped earlier comes back when the best's mean falls to it.
 */
export function nextRepeat(
  history: readonly LeaderboardTrial[],
  options: RepeatOptions & { params: TrialParams },
): RepeatDecision {
  const settings = AdaptiveRepeatsSchema.parse({
    minRepeats: options.minRepeats,
    maxRepeats: options.maxRepeats,
  });
  const board = buildLeaderboard(history, options);
  const key = canonicalJson(options.params);
  const entry = board.find((e) => e.key === key);
  if (!entry) return { repeat: true, reason: "below-minimum", runs: 0 };
  return decide(entry, board, settings);
}

/** Every config of `history` that deserves another seed now, best first (nextRepeat's rule for each). */
export function pendingRepeats(
  history: readonly LeaderboardTrial[],
  options: RepeatOptions = {},
): TrialParams[] {
  const settings = AdaptiveRepeatsSchema.parse({
    minRepeats: options.minRepeats,
    maxRepeats: options.maxRepeats,
  });
  const board = buildLeaderboard(history, options);
  return board.filter((entry) => decide(entry, board, settings).repeat).map((entry) => entry.params);
}
