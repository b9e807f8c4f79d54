import type {
  EvalEvent,
  FailedEvent,
  FinishedSummarySchema,
  StartedEvent,
  StepEvent,
} from "@sweeplab/contract";
import type { z } from "zod";
import type { SerializedTensor } from "../models/parameters.ts";

// The schemas of the events that cross the wire live in @sweeplab/contract; the tensor-carrying ones stay here.
export type {
  DatasetShape,
  EvalEvent,
  FailedEvent,
  RunVersions,
  StartedEvent,
  StepEvent,
} from "@sweeplab/contract";
export {
  EvalEventSchema,
  FailedEventSchema,
  FinishedSummarySchema,
  RunVersionsSchema,
  StartedEventSchema,
  StepEventSchema,
} from "@sweeplab/contract";

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

export type FinishedEvent = z.infer<typeof FinishedSummarySchema> & {
  evaluation: TestEvaluation;
  /** Final weights, for export and prediction. */
  weights: SerializedTensor[];
};

/** What `train()` yields, in order: started, then step / eval / checkpoint, then finished or failed. */
export type TrainEvent = StartedEvent | StepEvent | EvalEvent | CheckpointEvent | FinishedEvent | FailedEvent;
