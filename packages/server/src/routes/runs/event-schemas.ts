import { z } from "@hono/zod-openapi";
import { RunConfigSchema } from "@sweeplab/core";

const BackendInfoSchema = z.object({
  name: z.string(),
  devices: z.array(z.string()),
  tfjsVersion: z.string(),
  tensorflowVersion: z.string().optional(),
  threads: z.string(),
});

/**
 * What `GET /v1/runs/{id}/events` streams, one schema per SSE event name. On the wire `type` is the SSE `event`
 * field and the rest is `data`; clients put them back together as these objects.
 */
export const RunEventSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("queued") }),
    z.object({
      type: z.literal("started"),
      dataset: z.object({
        name: z.string(),
        rows: z.int(),
        columns: z.int(),
        classes: z.int(),
        mean: z.number(),
        std: z.number(),
      }),
      config: RunConfigSchema,
      backend: BackendInfoSchema,
      versions: z.object({
        core: z.string(),
        tfjs: z.string(),
        tensorflow: z.string().optional(),
        node: z.string(),
      }),
      parameterCount: z.int(),
      trainExamples: z.int(),
      validationExamples: z.int(),
      resumedFromStep: z.int().optional(),
    }),
    z.object({
      type: z.literal("step"),
      step: z.int(),
      loss: z.number(),
      learningRate: z.number(),
      msPerStep: z.number(),
      examplesPerSecond: z.number(),
      liveTensors: z.int(),
    }),
    z.object({
      type: z.literal("eval"),
      step: z.int(),
      trainLoss: z.number(),
      trainAccuracy: z.number(),
      validationLoss: z.number(),
      validationAccuracy: z.number(),
      learningRate: z.number(),
    }),
    z.object({ type: z.literal("checkpoint"), step: z.int() }),
    z.object({ type: z.literal("requeued"), reason: z.string(), attempt: z.int() }),
    z.object({
      type: z.literal("finished"),
      step: z.int(),
      testLoss: z.number(),
      testAccuracy: z.number(),
      msPerStep: z.number(),
      trainSeconds: z.number(),
      wallSeconds: z.number(),
    }),
    z.object({ type: z.literal("failed"), step: z.int(), code: z.string(), message: z.string() }),
    z.object({ type: z.literal("canceled") }),
  ])
  .openapi("RunEvent");
