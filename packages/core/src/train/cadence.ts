import * as tf from "@tensorflow/tfjs-core";
import { CoreError, isCoreError } from "../errors.ts";
import type { SerializedTensor } from "../models/parameters.ts";
import type { RunConfig } from "./config.ts";
import type { EvalEvent, FailedEvent, FinishedEvent, StepEvent, TestEvaluation } from "./events.ts";
import { median } from "./run-support.ts";

/**
 * The rhythm every training loop keeps (train() and trainBatched()): which steps log, evaluate and checkpoint,
 * and the events they yield. A loop owns its weights; this owns when and what it reports.
 */
export const cadence = {
  logs: (step: number, config: RunConfig) => step % config.logEverySteps === 0 || step === config.steps,
  evaluates: (step: number, config: RunConfig) => step % config.evalEverySteps === 0 || step === config.steps,
  checkpoints: (step: number, config: RunConfig, everySteps: number | undefined) =>
    !!everySteps && step % everySteps === 0 && step !== config.steps,
};

/** Step times: the window since the last `step` event, and the whole run. */
export class StepTimes {
  private readonly all: number[] = [];
  private window: number[] = [];
  private readonly wallStart = performance.now();

  time<T>(work: () => T): T {
    const started = performance.now();
    const result = work();
    const elapsed = performance.now() - started;
    this.all.push(elapsed);
    this.window.push(elapsed);
    return result;
  }

  /** Median ms per step since the last call (the window a `step` event reports); starts a new window. */
  closeWindow(): number {
    const msPerStep = median(this.window);
    this.window = [];
    return msPerStep;
  }

  finishedEvent(step: number, evaluation: TestEvaluation, weights: SerializedTensor[]): FinishedEvent {
    return {
      type: "finished",
      step,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      evaluation,
      msPerStep: median(this.all),
      trainSeconds: this.all.reduce((a, b) => a + b, 0) / 1000,
      wallSeconds: (performance.now() - this.wallStart) / 1000,
      weights,
    };
  }
}

/** The `step` event for a loss read back now; a non-finite loss is NON_FINITE_LOSS. */
export function stepEvent(
  step: number,
  loss: number,
  learningRate: number,
  batchSize: number,
  msPerStep: number,
): StepEvent {
  if (!Number.isFinite(loss)) {
    throw new CoreError(
      "NON_FINITE_LOSS",
      `loss became ${loss} by step ${step} (lr ${learningRate.toExponential(3)})`,
    );
  }
  return {
    type: "step",
    step,
    loss,
    learningRate,
    msPerStep,
    examplesPerSecond: (batchSize * 1000) / msPerStep,
    liveTensors: tf.memory().numTensors,
  };
}

export function evalEvent(
  step: number,
  train: { loss: number; accuracy: number },
  validation: { loss: number; accuracy: number } | undefined,
  learningRate: number,
): EvalEvent {
  return {
    type: "eval",
    step,
    trainLoss: train.loss,
    trainAccuracy: train.accuracy,
    validationLoss: validation?.loss ?? null,
    validationAccuracy: validation?.accuracy ?? null,
    learningRate,
  };
}

/** The `failed` event for any error: a CoreError keeps its code, anything else is INTERNAL. */
export function failedEvent(step: number, error: unknown): FailedEvent {
  return {
    type: "failed",
    step,
    code: isCoreError(error) ? error.code : "INTERNAL",
    message: error instanceof Error ? error.message : String(error),
  };
}
