import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, prepareBackend } from "../backend/select.ts";
import { BatchSchedule } from "../data/batches.ts";
import { planSplits } from "../data/dataset.ts";
import type { LoadDatasetOptions } from "../data/sources.ts";
import { CoreError } from "../errors.ts";
import { learningRateAt } from "../schedule/cosine.ts";
import { createEagerGroup } from "./batched-eager.ts";
import type { BatchedEngine, Trial } from "./batched-engine.ts";
import { createGraphGroup } from "./batched-graph.ts";
import { batchGroupMismatch } from "./batched-group.ts";
import { cadence, evalEvent, failedEvent, StepTimes, stepEvent } from "./cadence.ts";
import type { RunConfig, RunConfigInput } from "./config.ts";
import { divergenceCheckStep, divergenceError, referenceLoss } from "./divergence.ts";
import type { Execution } from "./engine.ts";
import type { FailedEvent, RunVersions, TrainEvent } from "./events.ts";
import { parseRunConfig } from "./run-config.ts";
import { coreVersion, loadRawDatasetCached } from "./run-support.ts";
import { chooseExecution } from "./train.ts";

export interface TrainBatchedOptions {
  /** Backend to train on; default the best present (see prepareBackend). */
  backend?: BackendName | "auto";
  /** One id per config (e.g. the sweep's trial ids); default "0", "1", ... */
  trialIds?: string[];
  /** One per config: aborting one ends that trial (failed, ABORTED) after the current step; the rest go on. */
  signals?: (AbortSignal | undefined)[];
  /** A `checkpoint` event per trial every so many steps; 0 (default) never. */
  checkpointEverySteps?: number;
  dataset?: LoadDatasetOptions;
  /** As train()'s: the group as one TensorFlow graph per step (native backends), op by op, or `auto` (the graph where it can run). */
  execution?: Execution | "auto";
}

/** One event of one trial: the same events `train()` yields, in the same order for each trial. */
export interface BatchedTrainEvent {
  trialId: string;
  event: TrainEvent;
}

/** The trials still in the group, in stack order. */
function activeTrials(trials: Trial[]): Trial[] {
  return trials.filter((t) => t.slot >= 0).sort((a, b) => a.slot - b.slot);
}

/**
 * Trains K configs that share an architecture, batch size and step count together: op by op over weights with a
 * leading trial dimension (batched-eager.ts), or as one TensorFlow graph per step (batched-graph.ts, on the native
 * backends, by train()'s execution rule). Each trial keeps its own seed (initialisation, validation split, batch
 * order), peak learning rate and weight decay, and reports, checkpoints, fails and stops on its own with the events
 * `train()` would yield for it alone, a collapsed trial ending DIVERGED by train()'s rule (divergence.ts). No resume
 * from a checkpoint and no checkpoint on abort: a resumed run trains alone with train(). Never throws.
 */
export async function* trainBatched(
  inputs: RunConfigInput[],
  options: TrainBatchedOptions = {},
): AsyncGenerator<BatchedTrainEvent> {
  const times = new StepTimes();
  const ids = inputs.map((_, i) => options.trialIds?.[i] ?? String(i));
  const configs: (RunConfig | undefined)[] = [];
  for (const [i, input] of inputs.entries()) {
    try {
      const config = parseRunConfig(input);
      const leader = configs.find((c) => c !== undefined) ?? config;
      const mismatch = batchGroupMismatch(leader, config);
      if (mismatch) throw new CoreError("INVALID_CONFIG", mismatch);
      configs.push(config);
    } catch (error) {
      configs.push(undefined);
      yield { trialId: ids[i]!, event: failedEvent(0, error) };
    }
  }
  const leader = configs.find((c) => c !== undefined);
  if (!leader) return;
  let group: BatchedEngine | undefined;
  let step = 0;
  const trials: Trial[] = [];
  try {
    const backend = await prepareBackend({ backend: options.backend });
    const raw = await loadRawDatasetCached(leader.dataset, options.dataset);
    configs.forEach((config, i) => {
      if (!config) return;
      const plan = planSplits(raw, { validationSize: config.validationSize, seed: config.seed });
      const batches = new BatchSchedule({
        count: plan.trainIndices.length,
        batchSize: config.batchSize,
        seed: config.seed,
      });
      trials.push({
        id: ids[i]!,
        config,
        plan,
        batches,
        signal: options.signals?.[i],
        slot: trials.length,
        startLoss: null,
      });
    });
    const execution = chooseExecution(backend.name, options.execution);
    group =
      execution === "graph"
        ? createGraphGroup(raw, leader, trials, backend.name)
        : createEagerGroup(raw, leader, trials);
    const versions: RunVersions = {
      core: coreVersion(),
      tfjs: tf.version_core,
      tensorflow: backend.tensorflowVersion,
      node: process.version,
    };
    const { parameterCount } = group;
    for (const trial of trials) {
      const { mean, std, classes, trainIndices, validationIndices } = trial.plan;
      yield {
        trialId: trial.id,
        event: {
          type: "started",
          dataset: { name: raw.name, rows: raw.train.rows, columns: raw.train.columns, classes, mean, std },
          config: trial.config,
          backend: { ...backend, execution },
          versions,
          parameterCount,
          trainExamples: trainIndices.length,
          validationExamples: validationIndices.length,
        },
      };
    }

    const { steps, evalEverySteps, batchSize, schedule } = leader;
    // The same rule as train(): each trial judged once against its own starting loss (see divergence.ts).
    const divergenceStep = divergenceCheckStep(steps, evalEverySteps);
    if (divergenceStep !== null) {
      const start = await group.evaluate(trials, false);
      trials.forEach((trial, i) => {
        trial.startLoss = start[i]!.train.loss;
      });
    }
    const end = (trial: Trial, event: FailedEvent) => {
      trial.slot = -1;
      return { trialId: trial.id, event };
    };
    while (step < steps) {
      for (const trial of activeTrials(trials)) {
        if (trial.signal?.aborted) {
          yield end(trial, failedEvent(step, new CoreError("ABORTED", `run aborted at step ${step}`)));
        }
      }
      await group.compact();
      const active = activeTrials(trials);
      if (active.length === 0) return;
      const learningRates = active.map((t) =>
        learningRateAt(step, steps, t.config.optimizer.learningRate, schedule),
      );
      const losses = times.time(() => group!.step(step, learningRates));
      step += 1;

      if (cadence.logs(step, leader)) {
        const values = await losses.read();
        losses.dispose();
        const msPerStep = times.closeWindow();
        const events = active.map((trial, k) => {
          try {
            const event = stepEvent(step, values[k]!, learningRates[k]!, batchSize, msPerStep);
            return { trialId: trial.id, event };
          } catch (error) {
            return end(trial, failedEvent(step, error));
          }
        });
        yield* events;
      } else {
        losses.dispose();
      }
      if (cadence.evaluates(step, leader)) {
        // Trials that failed at this step's log are not evaluated; every trial's validation split is as large.
        const evaluating = active.filter((t) => t.slot >= 0);
        const hasValidation = evaluating.some((t) => t.plan.validationIndices.length > 0);
        const results = await group.evaluate(evaluating, hasValidation);
        for (const [i, trial] of evaluating.entries()) {
          const { train, validation } = results[i]!;
          const learningRate = learningRates[active.indexOf(trial)]!;
          yield { trialId: trial.id, event: evalEvent(step, train, validation, learningRate) };
          if (step === divergenceStep) {
            const reference = referenceLoss(trial.startLoss, trial.plan.classes);
            const diverged = divergenceError(train.loss, step, reference);
            if (diverged) yield end(trial, failedEvent(step, diverged));
          }
        }
      }
      if (cadence.checkpoints(step, leader, options.checkpointEverySteps)) {
        const checkpointing = activeTrials(trials);
        const checkpoints = await group.checkpoint(checkpointing, step);
        for (const [i, trial] of checkpointing.entries()) {
          yield { trialId: trial.id, event: { type: "checkpoint", step, checkpoint: checkpoints[i]! } };
        }
      }
      await yieldToEventLoop();
    }

    const finishing = activeTrials(trials);
    const results = await group.finish(finishing);
    for (const [i, trial] of finishing.entries()) {
      const { evaluation, weights } = results[i]!;
      yield { trialId: trial.id, event: times.finishedEvent(step, evaluation, weights) };
    }
  } catch (error) {
    // A failure of the group (backend, data, memory) ends every trial still running.
    for (const trial of trials.length > 0 ? trials.filter((t) => t.slot >= 0) : []) {
      yield { trialId: trial.id, event: failedEvent(step, error) };
    }
    if (trials.length === 0) {
      for (const [i, config] of configs.entries()) {
        if (config) yield { trialId: ids[i]!, event: failedEvent(step, error) };
      }
    }
  } finally {
    group?.dispose();
  }
}
