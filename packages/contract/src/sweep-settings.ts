import { z } from "zod";

/** Whether a larger metric is better (`maximize`, e.g. validation accuracy) or a smaller one (`minimize`, a loss). */
export const DirectionSchema = z.enum(["maximize", "minimize"]).meta({ id: "SweepDirection" });
export type Direction = z.infer<typeof DirectionSchema>;

export const SweepMethodSchema = z.enum(["random", "grid", "tpe", "motpe"]).meta({ id: "SweepMethod" });
export type SweepMethod = z.infer<typeof SweepMethodSchema>;

/** Asynchronous successive halving (Li et al. 2020; Optuna's SuccessiveHalvingPruner). */
export const AshaSettingsSchema = z
  .strictObject({
    /** Steps before the first rung; rung k sits at minSteps * eta^k. */
    minSteps: z.int().min(1),
    /** The reduction factor: a trial goes on past a rung only in the top 1/eta there. */
    eta: z.int().min(2).default(3),
    /**
     * No trial is stopped at a rung until this many trials (this one included) have reached it: the first few
     * trials of a sweep have nobody to be compared with. Default 3, so a decision weighs at least two others.
     */
    minTrialsPerRung: z.int().min(1).default(3),
  })
  .meta({ id: "AshaSettings" });
export type AshaSettings = z.infer<typeof AshaSettingsSchema>;
export type AshaSettingsInput = z.input<typeof AshaSettingsSchema>;

/** The median stopping rule (Golovin et al. 2017, Google Vizier; Optuna's MedianPruner). */
export const MedianSettingsSchema = z
  .strictObject({
    /** No trial is stopped until this many trials have completed. Default 5 (Optuna's). */
    nStartupTrials: z.int().min(0).default(5),
    /** Nor before this step of the trial. Default 0. */
    warmupSteps: z.int().min(0).default(0),
  })
  .meta({ id: "MedianSettings" });
export type MedianSettings = z.infer<typeof MedianSettingsSchema>;
export type MedianSettingsInput = z.input<typeof MedianSettingsSchema>;

/** A sweep's early-stopping rule as an API takes it: `{ kind: "asha", minSteps, eta? }`, `{ kind: "median" }`. */
export const EarlyStoppingSchema = z
  .discriminatedUnion("kind", [
    AshaSettingsSchema.extend({ kind: z.literal("asha") }),
    MedianSettingsSchema.extend({ kind: z.literal("median") }),
  ])
  .meta({ id: "EarlyStopping" });
export type EarlyStopping = z.infer<typeof EarlyStoppingSchema>;
export type EarlyStoppingInput = z.input<typeof EarlyStoppingSchema>;
