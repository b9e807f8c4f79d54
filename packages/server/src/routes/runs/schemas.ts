import { z } from "@hono/zod-openapi";
import { RunConfigSchema, RunStatusSchema, strictObject } from "@sweeplab/core";
import type { RunRecord } from "../../store/store.ts";
import { ResolvedRunConfigRef } from "../output-schemas.ts";

export const RunIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "run_3f9a1c0d2b7e4a5f8c1d" }),
});

export const RunCreateSchema = strictObject({
  config: RunConfigSchema.default(RunConfigSchema.parse({})),
  name: z.string().max(200).optional(),
  tags: z.array(z.string().min(1).max(64)).max(32).optional(),
}).openapi("RunCreate");

export { RunStatusSchema };

export const RunSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    tags: z.array(z.string()),
    status: RunStatusSchema,
    /** The config after defaults (ResolvedRunConfig). */
    config: ResolvedRunConfigRef,
    sweepId: z.string().nullable(),
    trialIndex: z.int().nullable(),
    repeatIndex: z.int().nullable(),
    bestValidationAccuracy: z.number().nullable(),
    cancelRequested: z.boolean(),
    step: z.int(),
    totalSteps: z.int(),
    attempts: z.int(),
    testAccuracy: z.number().nullable(),
    testLoss: z.number().nullable(),
    msPerStep: z.number().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    /** Backend, devices, versions and parameter count, once the run started. */
    environment: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .openapi("Run");
export type RunResource = z.infer<typeof RunSchema>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toRunResource(row: RunRecord): RunResource {
  return {
    id: row.id,
    name: row.name,
    tags: row.tags,
    status: row.status,
    config: row.config,
    sweepId: row.sweepId,
    trialIndex: row.trialIndex,
    repeatIndex: row.repeatIndex,
    bestValidationAccuracy: row.bestValidationAccuracy,
    cancelRequested: row.cancelRequested,
    step: row.step,
    totalSteps: row.totalSteps,
    attempts: row.attempts,
    testAccuracy: row.testAccuracy,
    testLoss: row.testLoss,
    msPerStep: row.msPerStep,
    error:
      row.errorCode && row.status !== "succeeded" && row.status !== "queued" && row.status !== "running"
        ? { code: row.errorCode, message: row.errorMessage ?? "" }
        : null,
    environment: row.environment,
    createdAt: iso(row.createdAt)!,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

export const RunListSchema = z
  .object({ items: z.array(RunSchema), nextCursor: z.string().nullable() })
  .openapi("RunList");

export const MetricPointSchema = z
  .object({
    step: z.int(),
    loss: z.number().nullable().openapi({ description: "training batch loss at this step" }),
    learningRate: z.number().nullable(),
    msPerStep: z.number().nullable(),
    trainLoss: z.number().nullable(),
    trainAccuracy: z.number().nullable(),
    validationLoss: z.number().nullable(),
    validationAccuracy: z.number().nullable(),
  })
  .openapi("MetricPoint");

export const MetricsSchema = z
  .object({
    runId: z.string(),
    points: z.array(MetricPointSchema),
    /** Pass as `afterStep` for the next page; null when this page reaches the end. */
    nextAfterStep: z.int().nullable(),
  })
  .openapi("RunMetrics");

export const EvaluationSchema = z
  .object({
    runId: z.string(),
    testAccuracy: z.number(),
    testLoss: z.number(),
    confusionMatrix: z.array(z.array(z.int())).openapi({ description: "confusionMatrix[actual][predicted]" }),
    perClassAccuracy: z.array(z.number()),
  })
  .openapi("Evaluation");

export const PredictRequestSchema = strictObject({
  images: z
    .array(
      z.union([
        z.array(z.number().min(0).max(255)).openapi({ description: "rows*columns raw pixels, 0-255" }),
        z.array(z.array(z.number().min(0).max(255))).openapi({ description: "rows x columns raw pixels" }),
        strictObject({ png: z.base64() }).openapi({ description: "a PNG image, base64" }),
      ]),
    )
    .min(1)
    .max(256),
}).openapi("PredictRequest");

export const PredictionSchema = z
  .object({ predictions: z.array(z.object({ label: z.int(), probabilities: z.array(z.number()) })) })
  .openapi("Predictions");
