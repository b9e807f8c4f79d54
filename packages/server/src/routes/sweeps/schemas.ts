import { z } from "@hono/zod-openapi";
import { SweepParetoSchema, SweepSummarySchema, SweepTrialSchema } from "@sweeplab/contract";
import { SearchSpaceSchema } from "@sweeplab/core";
import { ResolvedRunConfigRef } from "../output-schemas.ts";

// A sweep's summary and trials are its events' data too: they live in @sweeplab/contract, which the SDK checks with.
export { PLOT_KINDS, SweepSummarySchema, SweepTrialSchema } from "@sweeplab/contract";

const ParamsSchema = z
  .record(z.string(), z.unknown())
  .openapi({ description: "the trial's parameters by name" });

export const SweepIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "swp_3f9a1c0d2b7e4a5f8c1d" }),
});

export const LeaderboardEntrySchema = z
  .object({
    rank: z.int(),
    /** The params as canonical JSON: the identity of one configuration across its repeats. */
    key: z.string(),
    params: ParamsSchema,
    trialIds: z.array(z.union([z.string(), z.int()])),
    values: z.array(z.number()),
    n: z.int(),
    failures: z.int(),
    mean: z.number().nullable(),
    std: z.number().nullable(),
    standardError: z.number().nullable(),
    differenceFromBest: z.number().nullable(),
    /** The best config, or one whose difference from the best is within seed noise. */
    withinNoise: z.boolean(),
    /** A multi-objective sweep's: no other config beats this one beyond seed noise on every objective. */
    onFront: z.boolean().optional(),
  })
  .openapi("LeaderboardEntry");

export const SweepSchema = SweepSummarySchema.extend({
  base: z.record(z.string(), z.unknown()),
  space: SearchSpaceSchema,
  leaderboard: z.array(LeaderboardEntrySchema),
  best: z
    .object({ params: ParamsSchema, mean: z.number().nullable(), config: ResolvedRunConfigRef })
    .nullable(),
  importance: z.array(z.object({ name: z.string(), importance: z.number() })),
  trialRuns: z.array(SweepTrialSchema),
  /** Configs on the whole leaderboard (`leaderboard` holds the first `leaderboardLimit` of them when asked). */
  leaderboardTotal: z.int(),
  /** Trial runs in the whole sweep (`trialRuns` holds the first `trialRunsLimit` of them when asked). */
  trialRunsTotal: z.int(),
  /**
   * A sweep with two or more objectives: its Pareto front within seed noise; null with one metric (absent from
   * services that predate it).
   */
  pareto: SweepParetoSchema.nullable().optional(),
}).openapi("Sweep");

/** How much of a sweep's leaderboard and trial runs `GET /v1/sweeps/{id}` includes (default: all). */
export const SweepQuerySchema = z.object({
  leaderboardLimit: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "at most this many leaderboard entries, best first (default all)" }),
  trialRunsLimit: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: "at most this many trial runs, by trial index (default all)" }),
});

/** One page of a sweep's leaderboard, best first, with the trial runs of its entries. */
export const SweepLeaderboardPageSchema = z
  .object({
    /** Configs on the whole leaderboard. */
    total: z.int(),
    offset: z.int(),
    entries: z.array(LeaderboardEntrySchema),
    /** The runs of this page's entries (each entry's `trialIds` are run ids). */
    trialRuns: z.array(SweepTrialSchema),
  })
  .openapi("SweepLeaderboardPage");

/** One page of a sweep's trial runs, by trial and repeat index. */
export const SweepTrialsPageSchema = z
  .object({
    /** Trial runs in the whole sweep. */
    total: z.int(),
    offset: z.int(),
    items: z.array(SweepTrialSchema),
  })
  .openapi("SweepTrialsPage");

export const LeaderboardPageQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const SweepListSchema = z.object({ items: z.array(SweepSummarySchema) }).openapi("SweepList");
