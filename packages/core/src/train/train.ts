import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, prepareBackend } from "../backend/select.ts";
import { BatchSchedule } from "../data/batches.ts";
import type { LoadDatasetOptions } from "../data/sources.ts";
import { CoreError } from "../errors.ts";
import { learningRateAt } from "../schedule/cosine.ts";
import { cadence, evalEvent, failedEvent, StepTimes, stepEvent } from "./cadence.ts";
import type { RunConfigInput } from "./config.ts";
import { divergenceCheckStep, divergenceError, referenceLoss } from "./divergence.ts";
import { createEagerEngine } from "./eager-engine.ts";
import type { Execution, TrainingEngine } from "./engine.ts";
import type { RunVersions, TrainEvent, TrainingCheckpoint } from "./events.ts";
import { createGraphEngine, graphExecutionProblem } from "./graph-engine.ts";
import { parseRunConfig } from "./run-config.ts";
import { coreVersion, prepareHostDatasetCached, TRAIN_EVAL_EXAMPLES } from "./run-support.ts";

export interface TrainOptions {
  /** Aborting stops the run after the current step with a `failed` event of code ABORTED. */
  signal?: AbortSignal;
  /** Backend to train on; default the best present (see prepareBackend). */
  backend?: BackendName | "auto";
  /** Continue from a checkpoint: same total steps, the schedule and batch order resuming where they stopped. */
  resumeFrom?: TrainingCheckpoint;
  /** Emit a `checkpoint` event every so many steps; 0 (default) never. */
  checkpointEverySteps?: number;
  /** On abort, emit a `checkpoint` of the steps done since the last one before the ABORTED `failed` event. */
  checkpointOnAbort?: boolean;
  dataset?: LoadDatasetOptions;
  /**
   * `graph` trains with one TensorFlow graph per step (native backends only), `eager` op by op; `auto` (default)
   * takes the graph wherever it can run (it is 1.5-2.5x faster on the CPU: BENCHMARKS.md).
   */
  execution?: Execution | "auto";
}

/** The execution a run gets: a forced one that cannot run here is an error, never a silent fallback. */
export function chooseExecution(backend: BackendName, wanted: Execution | "auto" = "auto"): Execution {
  if (wanted === "eager") return "eager";
  const problem = graphExecutionProblem(backend);
  if (!problem) return "graph";
  if (wanted === "graph") throw new CoreError("BACKEND_UNAVAILABLE", `graph execution: ${problem}`);
  return "eager";
}

/**
 * Trains one model and reports as it goes: `started`; `step` every logEverySteps; `eval` every evalEverySteps
 * and at the end; `checkpoint` when asked; then `finished` or `failed`. Never throws: every failure, an invalid
 * config included, ends the stream with a `failed` event.
 */
export async function* train(input: RunConfigInput, options: TrainOptions = {}): AsyncGenerator<TrainEvent> {
  const times = new StepTimes();
  let step = options.resumeFrom?.step ?? 0;
  let engine: TrainingEngine | undefined;
  try {
    const config = parseRunConfig(input);
    const backend = await prepareBackend({ backend: options.backend });
    const host = await prepareHostDatasetCached(config, options.dataset);
    const execution = chooseExecution(backend.name, options.execution);
    engine = execution === "graph" ? createGraphEngine(config, host) : createEagerEngine(config, host);
    if (options.resumeFrom) engine.restore(options.resumeFrom);
    const versions: RunVersions = {
      core: coreVersion(),
      tfjs: tf.version_core,
      tensorflow: backend.tensorflowVersion,
      node: process.version,
    };
    const { trainCount, validationCount, ...dataset } = engine.dataset;
    yield {
      type: "started",
      dataset,
      config,
      backend: { ...backend, execution },
      versions,
      parameterCount: engine.parameterCount,
      trainExamples: trainCount,
      validationExamples: validationCount,
      ...(options.resumeFrom ? { resumedFromStep: options.resumeFrom.step } : {}),
    };

    const batches = new BatchSchedule({ count: trainCount, batchSize: config.batchSize, seed: config.seed });
    const peak = config.optimizer.learningRate;
    // Judged once (see divergence.ts); measuring where the loss starts costs one train-eval pass.
    const judgeAt = divergenceCheckStep(config.steps, config.evalEverySteps);
    const divergenceStep = judgeAt !== null && judgeAt > step ? judgeAt : null;
    const startLoss =
      divergenceStep !== null && !options.resumeFrom
        ? (await engine.evaluate("train", TRAIN_EVAL_EXAMPLES)).loss
        : null;
    while (step < config.steps) {
      if (options.signal?.aborted) {
        if (options.checkpointOnAbort && step > (options.resumeFrom?.step ?? 0)) {
          yield { type: "checkpoint", step, checkpoint: await engine.snapshot(step) };
        }
        throw new CoreError("ABORTED", `run aborted at step ${step}`);
      }
      const learningRate = learningRateAt(step, config.steps, peak, config.schedule);
      const indices = batches.indices(step);
      const loss = times.time(() => engine!.step(indices, step, learningRate));
      step += 1;
      if (cadence.logs(step, config)) {
        const value = await loss.read();
        loss.dispose();
        yield stepEvent(step, value, learningRate, config.batchSize, times.closeWindow());
      } else {
        loss.dispose();
      }
      if (cadence.evaluates(step, config)) {
        const trainMetrics = await engine.evaluate("train", TRAIN_EVAL_EXAMPLES);
        const validation = validationCount > 0 ? await engine.evaluate("validation") : undefined;
        yield evalEvent(step, trainMetrics, validation, learningRate);
        if (step === divergenceStep) {
          const reference = referenceLoss(startLoss, engine.dataset.classes);
          const diverged = divergenceError(trainMetrics.loss, step, reference);
          if (diverged) throw diverged;
        }
      }
      if (cadence.checkpoints(step, config, options.checkpointEverySteps)) {
        yield { type: "checkpoint", step, checkpoint: await engine.snapshot(step) };
      }
      await yieldToEventLoop();
    }
    yield times.finishedEvent(step, await engine.evaluateTest(), await engine.weights());
  } catch (error) {
    yield failedEvent(step, error);
  } finally {
    engine?.dispose();
  }
}
