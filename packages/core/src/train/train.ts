import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, prepareBackend } from "../backend/select.ts";
import { BatchSchedule } from "../data/batches.ts";
import { type PreparedDataset, prepareDataset } from "../data/dataset.ts";
import type { LoadDatasetOptions } from "../data/sources.ts";
import { CoreError, isCoreError } from "../errors.ts";
import { buildModel } from "../models/build.ts";
import { countParameters, type Model } from "../models/model.ts";
import { type SerializedTensor, serializeTensors } from "../models/parameters.ts";
import { createOptimizer } from "../optim/create.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import { learningRateAt } from "../schedule/cosine.ts";
import type { RunConfigInput } from "./config.ts";
import { divergenceCheckStep, divergenceError, referenceLoss } from "./divergence.ts";
import { evaluateSplit, evaluateTest } from "./evaluate.ts";
import type { RunVersions, TrainEvent, TrainingCheckpoint } from "./events.ts";
import { parseRunConfig } from "./run-config.ts";
import { coreVersion, loadRawDatasetCached, median, TRAIN_EVAL_EXAMPLES } from "./run-support.ts";
import { trainingStep } from "./step.ts";

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
}

function restoreCheckpoint(model: Model, optimizer: Optimizer, checkpoint: TrainingCheckpoint): void {
  const assign = (targets: { name: string; variable: tf.Variable }[], saved: SerializedTensor[]) => {
    const byName = new Map(saved.map((s) => [s.name, s]));
    for (const { name, variable } of targets) {
      const entry = byName.get(name);
      if (!entry || entry.values.length !== variable.size) {
        throw new CoreError("INVALID_CONFIG", `checkpoint does not match the model: ${name}`);
      }
      variable.assign(tf.tensor(entry.values, variable.shape));
    }
  };
  assign(model.parameters, checkpoint.parameters);
  assign(model.buffers, checkpoint.buffers);
  optimizer.restore(checkpoint.optimizerSlots, checkpoint.optimizerIterations);
}

async function snapshot(model: Model, optimizer: Optimizer, step: number): Promise<TrainingCheckpoint> {
  return {
    step,
    parameters: await serializeTensors(model.parameters.map((p) => ({ name: p.name, tensor: p.variable }))),
    buffers: await serializeTensors(model.buffers.map((b) => ({ name: b.name, tensor: b.variable }))),
    optimizerSlots: await serializeTensors(optimizer.slots()),
    optimizerIterations: optimizer.iterations,
  };
}

/**
 * Trains one model and reports as it goes: `started`; `step` every logEverySteps; `eval` every evalEverySteps
 * and at the end; `checkpoint` when asked; then `finished` or `failed`. Never throws: every failure, an invalid
 * config included, ends the stream with a `failed` event.
 */
export async function* train(input: RunConfigInput, options: TrainOptions = {}): AsyncGenerator<TrainEvent> {
  const wallStart = performance.now();
  let step = options.resumeFrom?.step ?? 0;
  let dataset: PreparedDataset | undefined;
  let model: Model | undefined;
  let optimizer: Optimizer | undefined;
  try {
    const config = parseRunConfig(input);
    const backend = await prepareBackend({ backend: options.backend });
    dataset = prepareDataset(await loadRawDatasetCached(config.dataset, options.dataset), {
      validationSize: config.validationSize,
      seed: config.seed,
    });
    model = buildModel(config.model, { ...dataset, seed: config.seed });
    optimizer = createOptimizer(model.parameters, config.optimizer);
    if (options.resumeFrom) restoreCheckpoint(model, optimizer, options.resumeFrom);
    const versions: RunVersions = {
      core: coreVersion(),
      tfjs: tf.version_core,
      tensorflow: backend.tensorflowVersion,
      node: process.version,
    };
    const { name, rows, columns, classes, mean, std } = dataset;
    yield {
      type: "started",
      dataset: { name, rows, columns, classes, mean, std },
      config,
      backend,
      versions,
      parameterCount: countParameters(model),
      trainExamples: dataset.train.count,
      validationExamples: dataset.validation.count,
      ...(options.resumeFrom ? { resumedFromStep: options.resumeFrom.step } : {}),
    };

    const context = { config, dataset, model, optimizer };
    const batches = new BatchSchedule({
      count: dataset.train.count,
      batchSize: config.batchSize,
      seed: config.seed,
    });
    const peak = config.optimizer.learningRate;
    // Judged once (see divergence.ts); measuring where the loss starts costs one train-eval pass.
    const judgeAt = divergenceCheckStep(config.steps, config.evalEverySteps);
    const divergenceStep = judgeAt !== null && judgeAt > step ? judgeAt : null;
    const startLoss =
      divergenceStep !== null && !options.resumeFrom
        ? (await evaluateSplit(model, dataset.train, dataset.classes, TRAIN_EVAL_EXAMPLES)).loss
        : null;
    const allStepMs: number[] = [];
    let windowMs: number[] = [];
    while (step < config.steps) {
      if (options.signal?.aborted) {
        if (options.checkpointOnAbort && step > (options.resumeFrom?.step ?? 0)) {
          yield { type: "checkpoint", step, checkpoint: await snapshot(model, optimizer, step) };
        }
        throw new CoreError("ABORTED", `run aborted at step ${step}`);
      }
      const learningRate = learningRateAt(step, config.steps, peak, config.schedule);
      const started = performance.now();
      const loss = trainingStep(context, batches.indices(step), step, learningRate);
      const elapsed = performance.now() - started;
      allStepMs.push(elapsed);
      windowMs.push(elapsed);
      step += 1;
      const last = step === config.steps;

      if (step % config.logEverySteps === 0 || last) {
        const lossValue = (await loss.data())[0]!;
        loss.dispose();
        if (!Number.isFinite(lossValue)) {
          throw new CoreError(
            "NON_FINITE_LOSS",
            `loss became ${lossValue} by step ${step} (lr ${learningRate.toExponential(3)})`,
          );
        }
        const msPerStep = median(windowMs);
        windowMs = [];
        yield {
          type: "step",
          step,
          loss: lossValue,
          learningRate,
          msPerStep,
          examplesPerSecond: (config.batchSize * 1000) / msPerStep,
          liveTensors: tf.memory().numTensors,
        };
      } else {
        loss.dispose();
      }
      if (step % config.evalEverySteps === 0 || last) {
        const trainMetrics = await evaluateSplit(model, dataset.train, dataset.classes, TRAIN_EVAL_EXAMPLES);
        const validation =
          dataset.validation.count > 0
            ? await evaluateSplit(model, dataset.validation, dataset.classes)
            : { loss: null, accuracy: null };
        yield {
          type: "eval",
          step,
          trainLoss: trainMetrics.loss,
          trainAccuracy: trainMetrics.accuracy,
          validationLoss: validation.loss,
          validationAccuracy: validation.accuracy,
          learningRate,
        };
        if (step === divergenceStep) {
          const diverged = divergenceError(
            trainMetrics.loss,
            step,
            referenceLoss(startLoss, dataset.classes),
          );
          if (diverged) throw diverged;
        }
      }
      if (options.checkpointEverySteps && step % options.checkpointEverySteps === 0 && !last) {
        yield { type: "checkpoint", step, checkpoint: await snapshot(model, optimizer, step) };
      }
      await yieldToEventLoop();
    }

    const evaluation = await evaluateTest(model, dataset.test, dataset.classes);
    const trainSeconds = allStepMs.reduce((a, b) => a + b, 0) / 1000;
    yield {
      type: "finished",
      step,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      evaluation,
      msPerStep: median(allStepMs),
      trainSeconds,
      wallSeconds: (performance.now() - wallStart) / 1000,
      weights: await serializeTensors([
        ...model.parameters.map((p) => ({ name: p.name, tensor: p.variable as tf.Tensor })),
        ...model.buffers.map((b) => ({ name: b.name, tensor: b.variable as tf.Tensor })),
      ]),
    };
  } catch (error) {
    yield {
      type: "failed",
      step,
      code: isCoreError(error) ? error.code : "INTERNAL",
      message: error instanceof Error ? error.message : String(error),
    };
  } finally {
    optimizer?.dispose();
    model?.dispose();
    dataset?.dispose();
  }
}
