import { z } from "zod";
import { BackendInfoSchema } from "../backend/info.ts";
import { DatasetShapeSchema } from "../data/shape.ts";
import { CORE_ERROR_CODES } from "../errors.ts";
import type { SerializedTensor } from "../models/parameters.ts";
import { RunConfigSchema } from "./config.ts";

export type { DatasetShape } from "../data/shape.ts";

/** Versions recorded with each run, so results can be traced to code. */
export const RunVersionsSchema = z.object({
  core: z.string(),
  tfjs: z.string(),
  tensorflow: z.string().optional(),
  node: z.string(),
});
export type RunVersions = z.infer<typeof RunVersionsSchema>;

export const StartedEventSchema = z.object({
  type: z.literal("started"),
  dataset: DatasetShapeSchema,
  config: RunConfigSchema,
  backend: BackendInfoSchema,
  versions: RunVersionsSchema,
  parameterCount: z.int(),
  trainExamples: z.int(),
  validationExamples: z.int(),
  /** Set when the run continues from a checkpoint. */
  resumedFromStep: z.int().optional(),
});
export type StartedEvent = z.infer<typeof StartedEventSchema>;

export const StepEventSchema = z.object({
  type: z.literal("step"),
  /** Steps completed (1-based). */
  step: z.int(),
  loss: z.number(),
  learningRate: z.number(),
  /** Median milliseconds per step since the previous step event. */
  msPerStep: z.number(),
  examplesPerSecond: z.number(),
  /** Live tensors on the backend; flat across a healthy run. */
  liveTensors: z.int(),
});
export type StepEvent = z.infer<typeof StepEventSchema>;

export const EvalEventSchema = z.object({
  type: z.literal("eval"),
  step: z.int(),
  trainLoss: z.number(),
  trainAccuracy: z.number(),
  /** null when the run holds no validation split (`validationSize: 0`). */
  validationLoss: z.number().nullable(),
  validationAccuracy: z.number().nullable(),
  learningRate: z.number(),
});
export type EvalEvent = z.infer<typeof EvalEventSchema>;

/** Everything needed to continue a run exactly: weights, optimizer slots and the step. */
export interface TrainingCheckpoint {
  step: number;
  parameters: SerializedTensor[];
  buffers: SerializedTensor[];
  optimizerSlots: SerializedTensor[];
  optimizerIterations: number;
}

export interface CheckpointEvent {
  type: "checkpoint";
  step: number;
  checkpoint: TrainingCheckpoint;
}

export interface TestEvaluation {
  loss: number;
  accuracy: number;
  /** confusionMatrix[actual][predicted] counts over the test set. */
  confusionMatrix: number[][];
  perClassAccuracy: number[];
}

/** The end of a successful run, as clients see it (the full event adds the evaluation and the weights). */
export const FinishedSummarySchema = z.object({
  type: z.literal("finished"),
  step: z.int(),
  testLoss: z.number(),
  testAccuracy: z.number(),
  /** Median ms per training step over the run. */
  msPerStep: z.number(),
  /** Seconds spent in training steps, and in the whole run (data loading and evaluation included). */
  trainSeconds: z.number(),
  wallSeconds: z.number(),
});

export type FinishedEvent = z.infer<typeof FinishedSummarySchema> & {
  evaluation: TestEvaluation;
  /** Final weights, for export and prediction. */
  weights: SerializedTensor[];
};

export const FailedEventSchema = z.object({
  type: z.literal("failed"),
  step: z.int(),
  /** STORAGE_FULL: the store could not write what the run produced (its disk is full). */
  code: z.enum([...CORE_ERROR_CODES, "INTERNAL", "STORAGE_FULL"]),
  message: z.string(),
});
export type FailedEvent = z.infer<typeof FailedEventSchema>;

/** What `train()` yields, in order: started, then step / eval / checkpoint, then finished or failed. */
export type TrainEvent = StartedEvent | StepEvent | EvalEvent | CheckpointEvent | FinishedEvent | FailedEvent;
