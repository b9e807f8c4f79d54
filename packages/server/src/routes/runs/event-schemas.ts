import { z } from "@hono/zod-openapi";
import {
  EvalEventSchema,
  FailedEventSchema,
  FinishedSummarySchema,
  StartedEventSchema,
  StepEventSchema,
} from "@sweeplab/core";

/**
 * What `GET /v1/runs/{id}/events` streams: core's training events as clients see them, plus the service's own
 * (queued, checkpoint without its file, requeued, canceled). On the wire `type` is the SSE `event` field and the
 * rest is `data`; clients put them back together as these objects.
 */
export const RunEventSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("queued") }),
    StartedEventSchema,
    StepEventSchema,
    EvalEventSchema,
    z.object({ type: z.literal("checkpoint"), step: z.int() }),
    z.object({ type: z.literal("requeued"), reason: z.string(), attempt: z.int() }),
    FinishedSummarySchema,
    FailedEventSchema,
    z.object({ type: z.literal("canceled") }),
  ])
  .openapi("RunEvent");
