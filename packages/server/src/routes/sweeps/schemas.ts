import { z } from "@hono/zod-openapi";
import { EarlyStoppingSchema, SearchSpaceSchema } from "@sweeplab/core";
import { ResolvedRunConfigRef } from "../output-schemas.ts";

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

export const SweepSummarySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    status: z.enum(["running", "succeeded", "failed", "canceled"]),
    /** Why the sweep stopped early (failures in a row, canceled). */
    stopReason: z.string().nullable(),
    preset: z.string().nullable(),
    method: z.enum(["random", "grid", "tpe"]),
    metric: z.string(),
    direction: z.enum(["maximize", "minimize"]),
    trials: z.int(),
    parallelism: z.int(),
    repeats: z.int(),
    seed: z.int(),
    earlyStopping: EarlyStoppingSchema.nullable(),
    /** Runs by status across the sweep's trials. */
    runsByStatus: z.record(z.string(), z.int()),
    /** The best config's mean metric so far; null before any trial has a result. */
    bestMean: z.number().nullable(),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .openapi("SweepSummary");

export const SweepTrialSchema = z
  .object({
    trialIndex: z.int(),
    repeatIndex: z.int(),
    runId: z.string(),
    status: z.string(),
    params: ParamsSchema,
    /** The sweep's metric for this run; null without a result. */
    value: z.number().nullable(),
    step: z.int(),
    totalSteps: z.int(),
    msPerStep: z.number().nullable(),
    error: z.string().nullable(),
  })
  .openapi("SweepTrial");

export const LeaderboardEntrySchema = z
  .object({
    rank: z.int(),
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
}).openapi("Sweep");

export const SweepListSchema = z.object({ items: z.array(SweepSummarySchema) }).openapi("SweepList");

export const PLOT_KINDS = [
  "parallel-coordinates",
  "metric-by-parameter",
  "best-so-far",
  "validation-curves",
  "importance",
] as const;
