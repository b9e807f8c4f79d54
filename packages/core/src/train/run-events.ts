import { z } from "zod";
import {
  EvalEventSchema,
  FailedEventSchema,
  FinishedSummarySchema,
  StartedEventSchema,
  StepEventSchema,
} from "./events.ts";

/**
 * A run's lifecycle: queued -> running -> one terminal status. `diverged` is a run whose loss became NaN or never
 * fell (a configuration failure, not a result); `pruned` is a sweep trial stopped early by its sweep's rule.
 */
export const RUN_STATUSES = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "canceled",
  "diverged",
  "pruned",
] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES).meta({ id: "RunStatus" });
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const TERMINAL_STATUSES: readonly RunStatus[] = [
  "succeeded",
  "failed",
  "canceled",
  "diverged",
  "pruned",
];

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
 * SDK checks each streamed event against it, the OpenAPI document is generated from it. (The worker writes the
 * events `train()` yields in its own process, straight through the store's lifecycle: no boundary to check.)
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

/** Events after which a run's stream ends, and the status each one leaves. */
export const TERMINAL_EVENT_STATUS = {
  finished: "succeeded",
  failed: "failed",
  canceled: "canceled",
  diverged: "diverged",
  pruned: "pruned",
} as const satisfies Partial<Record<RunEventType, RunStatus>>;

export function isTerminalEvent(type: string): type is keyof typeof TERMINAL_EVENT_STATUS {
  return type in TERMINAL_EVENT_STATUS;
}
