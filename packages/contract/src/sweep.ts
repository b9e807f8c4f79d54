import { z } from "zod";
import { SWEEP_STATUSES } from "./statuses.ts";
import { SweepBudgetSchema } from "./sweep-lifecycle.ts";
import { ObjectiveSchema } from "./sweep-objectives.ts";
import { DirectionSchema, EarlyStoppingSchema, SweepMethodSchema } from "./sweep-settings.ts";

export const SweepStatusSchema = z.enum(SWEEP_STATUSES).meta({ id: "SweepStatus" });

/** The plots a sweep can draw: `GET /v1/sweeps/{id}/plots/{kind}`. */
export const PLOT_KINDS = [
  "parallel-coordinates",
  "metric-by-parameter",
  "best-so-far",
  "validation-curves",
  "importance",
  "pareto",
] as const;
export const SweepPlotKindSchema = z.enum(PLOT_KINDS).meta({ id: "SweepPlotKind" });
export type SweepPlotKind = z.infer<typeof SweepPlotKindSchema>;

const ParamsSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: "the trial's parameters by name" });

/** A sweep without its trials: what lists show, and the data of the `sweep` event that ends its stream. */
export const SweepSummarySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    status: SweepStatusSchema,
    /** Why the sweep stopped early (failures in a row, canceled, its budget). */
    stopReason: z.string().nullable(),
    preset: z.string().nullable(),
    method: SweepMethodSchema,
    metric: z.string(),
    direction: DirectionSchema,
    trials: z.int(),
    parallelism: z.int(),
    /** Seeds per config; with adaptiveRepeats, the most a config gets. */
    repeats: z.int(),
    /**
     * `repeats: "auto"`: further seeds only for configs within seed noise of the best (racing). This and
     * `objectives` are absent from services that predate them.
     */
    adaptiveRepeats: z.boolean().optional(),
    /** A multi-objective sweep's objectives (the leaderboard still ranks by `metric`); null with one. */
    objectives: z.array(ObjectiveSchema).nullable().optional(),
    seed: z.int(),
    earlyStopping: EarlyStoppingSchema.nullable(),
    /** Runs by status across the sweep's trials. */
    runsByStatus: z.record(z.string(), z.int()),
    /** The best config's mean metric so far; null before any trial has a result. */
    bestMean: z.number().nullable(),
    createdAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    /** What the sweep may spend; null for no limit but its trial count. */
    budget: SweepBudgetSchema.nullable().optional(),
    /** The sweep whose finished trials seeded this one's sampler. */
    warmStartFrom: z.string().nullable().optional(),
    /** When it last started running (created, resumed or reopened): a wall-clock budget counts from here. */
    startedAt: z.iso.datetime().nullable().optional(),
    /**
     * When it should end, from the pace of its trials so far (and its budget): null once ended, or before any
     * trial run has finished.
     */
    estimatedFinishAt: z.iso.datetime().nullable().optional(),
    /** For a sweep imported from an export file: its id where it ran. Imported sweeps are read-only. */
    importedFrom: z.string().optional(),
  })
  .meta({ id: "SweepSummary" });
export type SweepSummary = z.infer<typeof SweepSummarySchema>;

/** One trial run of a sweep: the data of a `trial` event. */
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
    /** The trial's attempt: 0, then one more per re-run (resume, retry); the latest counts. */
    attempt: z.int().optional(),
    /** The earlier attempt this run re-runs (kept, with its result). */
    retryOf: z.string().nullable().optional(),
  })
  .meta({ id: "SweepTrial" });
export type SweepTrial = z.infer<typeof SweepTrialSchema>;

/**
 * A sweep's progress as `GET /v1/sweeps/{id}/events` streams it (SSE `event` = type, `data` = the rest): `trial`
 * whenever a trial run appears or changes, then one `sweep` when the sweep ends (the last event).
 */
export const SweepEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("trial"), trial: SweepTrialSchema }),
  z.object({ type: z.literal("sweep"), sweep: SweepSummarySchema }),
]);
export type SweepEvent = z.infer<typeof SweepEventSchema>;
