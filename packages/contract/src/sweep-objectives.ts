import { z } from "zod";
import { DirectionSchema } from "./sweep-settings.ts";

/** What a sweep objective may measure: a trial's validation result, its speed, or its size. */
export const ObjectiveMetricSchema = z
  .enum(["validationAccuracy", "validationLoss", "msPerStep", "parameterCount", "peakMemoryEstimate"])
  .meta({ id: "SweepObjectiveMetric" });
export type ObjectiveMetric = z.infer<typeof ObjectiveMetricSchema>;

/** One objective of a multi-objective sweep: a metric and whether larger or smaller is better. */
export const ObjectiveSchema = z
  .strictObject({
    metric: ObjectiveMetricSchema,
    direction: DirectionSchema,
    /**
     * The seed std assumed for a config trained once when no config was repeated to measure it, in the metric's
     * unit. Default per metric (0.0015 of accuracy, 0.005 of loss, 0.5 ms per step, 0 for the size metrics).
     */
    assumedSeedStd: z.number().min(0).optional(),
  })
  .meta({ id: "SweepObjective" });
export type Objective = z.infer<typeof ObjectiveSchema>;

/** A sweep's objectives: two or more, each metric once. */
export const ObjectivesSchema = z
  .array(ObjectiveSchema)
  .min(2)
  .refine((list) => new Set(list.map((o) => o.metric)).size === list.length, {
    message: "each objective metric may appear once",
  })
  .meta({ id: "SweepObjectives" });

const ParamsSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: "the config's parameters by name" });

/** One config on a multi-objective sweep's Pareto front, its objectives in the sweep's order. */
export const ParetoFrontEntrySchema = z
  .object({
    /** The params as canonical JSON (the leaderboard's `key`). */
    key: z.string(),
    params: ParamsSchema,
    trialIds: z.array(z.union([z.string(), z.int()])),
    /** Runs with every objective's result. */
    n: z.int(),
    /** Per objective: the mean over the config's runs. */
    means: z.array(z.number()),
    /** Per objective: the mean's standard error (a config run once borrows the pooled seed std). */
    standardErrors: z.array(z.number()),
    /** Per objective: mean -/+ 2 standard errors, the interval the noise rule compares. */
    intervals: z.array(z.tuple([z.number(), z.number()])),
  })
  .meta({ id: "ParetoFrontEntry" });
export type ParetoFrontEntry = z.infer<typeof ParetoFrontEntrySchema>;

/**
 * A multi-objective sweep's result: the configs no other config beats beyond seed noise on every objective
 * (difference of means > 2 sqrt(se_a^2 + se_b^2) on each), in first-trial order.
 */
export const SweepParetoSchema = z
  .object({
    objectives: z.array(ObjectiveSchema),
    front: z.array(ParetoFrontEntrySchema),
    /** Configs with every objective's result (the front is chosen among them). */
    configsScored: z.int(),
  })
  .meta({ id: "SweepPareto" });
export type SweepPareto = z.infer<typeof SweepParetoSchema>;
