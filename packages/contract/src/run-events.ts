import { z } from "zod";
import { RUN_STATUSES } from "./statuses.ts";
import {
  EvalEventSchema,
  FailedEventSchema,
  FinishedSummarySchema,
  StartedEventSchema,
  StepEventSchema,
} from "./training-events.ts";

export const RunStatusSchema = z.enum(RUN_STATUSES).meta({ id: "RunStatus" });

export const QueuedEventSchema = z.object({ type: z.literal("queued") });
/** A worker took the run (its lease starts). */
export const ClaimedEventSchema = z.object({
  type: z.literal("claimed"),
  workerId: z.string(),
  host: z.string(),
  /** 1 for the first worker to take the run; a resume after a worker died counts up. */
  attempt: z.int(),
});
/** A checkpoint was stored: a resumed run continues from this step. */
export const CheckpointSavedEventSchema = z.object({ type: z.literal("checkpoint"), step: z.int() });
export const RequeuedEventSchema = z.object({
  type: z.literal("requeued"),
  reason: z.string(),
  /** Attempts spent so far (a polite release by a stopping worker spends none). */
  attempt: z.int(),
});
export const CanceledEventSchema = z.object({
  type: z.literal("canceled"),
  step: z.int(),
  reason: z.string(),
});
export const PrunedEventSchema = z.object({
  type: z.literal("pruned"),
  step: z.int(),
  /** The early-stopping rung (ASHA) or evaluation index (median rule) at which the trial stopped. */
  rung: z.int(),
  reason: z.string(),
});
export const DivergedEventSchema = z.object({
  type: z.literal("diverged"),
  step: z.int(),
  code: z.enum(["NON_FINITE_LOSS", "DIVERGED"]),
  message: z.string(),
});

/**
 * Every event of a run, as stored, streamed (SSE `event` = type, `data` = the rest) and checked by the SDK: the
 * training events `train()` yields (without tensors) and the lifecycle events the engine adds. One schema: the
 * worker boundary validates against it, the OpenAPI document is generated from it.
 */
export const RunEventSchema = z
  .discriminatedUnion("type", [
    QueuedEventSchema,
    ClaimedEventSchema,
    StartedEventSchema,
    StepEventSchema,
    EvalEventSchema,
    CheckpointSavedEventSchema,
    RequeuedEventSchema,
    CanceledEventSchema,
    PrunedEventSchema,
    FinishedSummarySchema,
    FailedEventSchema,
    DivergedEventSchema,
  ])
  .meta({ id: "RunEvent" });
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent["type"];

/** Checks an event that crossed a process or network boundary. */
export function parseRunEvent(input: unknown): RunEvent {
  return RunEventSchema.parse(input);
}
