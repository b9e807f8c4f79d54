import { z } from "zod";

/**
 * What a sweep may spend. It stops by itself at the first scheduler pass after a limit (at most one pass interval
 * late), recording why in `stopReason`. Wall clock: counted from the sweep's latest start (creation, resume, or
 * extend/retry of an ended sweep); the trials still training are then canceled (resume runs them again). Trials:
 * trial runs started over the sweep's life (every repeat and every re-run attempt counts); no new one starts past
 * the limit and the sweep ends when those training finish.
 */
export const SweepBudgetSchema = z
  .strictObject({
    wallClockSeconds: z.number().positive().max(31_536_000).optional(),
    maxTrials: z.int().min(1).max(100_000).optional(),
  })
  .meta({ id: "SweepBudget" });
export type SweepBudget = z.infer<typeof SweepBudgetSchema>;

/** `POST /v1/sweeps/{id}/resume`: run an ended sweep's canceled and never-proposed trials. */
export const SweepResumeSchema = z
  .strictObject({
    /** Replaces the sweep's budget (a sweep its budget stopped needs a larger one to go on). */
    budget: SweepBudgetSchema.optional(),
  })
  .meta({ id: "SweepResume" });
export type SweepResume = z.infer<typeof SweepResumeSchema>;

/** `POST /v1/sweeps/{id}/extend`: propose more trials, the sampler continuing from the sweep's history. */
export const SweepExtendSchema = z
  .strictObject({
    /** Trials to add (each trained `repeats` times); their indices follow the sweep's last. */
    trials: z.int().min(1).max(1000),
    budget: SweepBudgetSchema.optional(),
  })
  .meta({ id: "SweepExtend" });
export type SweepExtend = z.infer<typeof SweepExtendSchema>;
