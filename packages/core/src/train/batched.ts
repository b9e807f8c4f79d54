import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import * as tf from "@tensorflow/tfjs-core";
import "../backend/register-gradients.ts";
import { type BackendName, prepareBackend } from "../backend/select.ts";
import { BatchSchedule } from "../data/batches.ts";
import { type DeviceSplit, pickExamples, planSplits, type SplitPlan, toDevice } from "../data/dataset.ts";
import type { LoadDatasetOptions, RawDataset } from "../data/sources.ts";
import { CoreError } from "../errors.ts";
import { buildModel } from "../models/build.ts";
import { serializeTensors } from "../models/parameters.ts";
import { type StackedModel, stackModels } from "../models/stacked.ts";
import { createOptimizer } from "../optim/create.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import { learningRateAt } from "../schedule/cosine.ts";
import { batchGroupMismatch } from "./batched-group.ts";
import { cadence, evalEvent, failedEvent, StepTimes, stepEvent } from "./cadence.ts";
import type { RunConfig, RunConfigInput } from "./config.ts";
import { divergenceCheckStep, divergenceError, referenceLoss } from "./divergence.ts";
import { crossEntropyPerTrial, evaluateSplit, evaluateTest } from "./evaluate.ts";
import type { FailedEvent, RunVersions, TrainEvent, TrainingCheckpoint } from "./events.ts";
import { parseRunConfig } from "./run-config.ts";
import { coreVersion, loadRawDatasetCached, TRAIN_EVAL_EXAMPLES } from "./run-support.ts";

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
}

/** One event of one trial: the same events `train()` yields, in the same order for each trial. */
export interface BatchedTrainEvent {
  trialId: string;
  event: TrainEvent;
}

/** A trial of the group: its config, data split, batch order, and where it sits in the stack (-1 once ended). */
interface Trial {
  id: string;
  config: RunConfig;
  plan: SplitPlan;
  batches: BatchSchedule;
  signal?: AbortSignal;
  slot: number;
  /** The train-eval slice's loss before the first step, when the run is judged for divergence. */
  startLoss: number | null;
}

/** The training examples of a trial's batch for `step`, as indices into the raw training images. */
function rawBatchIndices(trial: Trial, step: number): Int32Array {
  const indices = trial.batches.indices(step);
  return indices.map((i) => trial.plan.trainIndices[i]!);
}

/** A trial's own split on the device, normalised exactly as prepareDataset would (host arithmetic). */
function trialSplit(raw: RawDataset, trial: Trial, which: "train" | "validation" | "test"): DeviceSplit {
  const size = raw.train.rows * raw.train.columns;
  const { mean, std } = trial.plan;
  if (which === "test") return toDevice(raw.test.pixels, raw.test.labels, size, mean, std);
  const indices =
    which === "train"
      ? trial.plan.trainIndices.subarray(0, TRAIN_EVAL_EXAMPLES)
      : trial.plan.validationIndices;
  const picked = pickExamples(raw.train, size, indices);
  return toDevice(picked.pixels, picked.labels, size, mean, std);
}

function disposeSplit(split: DeviceSplit): void {
  tf.dispose([split.images, split.labels]);
}

/**
 * The group's state on the device: the stacked model, its optimizer, and the raw training pixels (0-255 as floats)
 * that every trial's batches are gathered from and normalised with the trial's own mean and std.
 */
class Group {
  model: StackedModel;
  optimizer: Optimizer;
  private readonly pixels: tf.Tensor2D;
  private readonly labels: tf.Tensor1D;

  constructor(
    private readonly raw: RawDataset,
    private readonly leader: RunConfig,
    readonly trials: Trial[],
  ) {
    const shape = { rows: raw.train.rows, columns: raw.train.columns, classes: trials[0]!.plan.classes };
    const models = trials.map((t) => buildModel(t.config.model, { ...shape, seed: t.config.seed }));
    this.model = stackModels(models, shape);
    for (const m of models) m.dispose();
    this.optimizer = createOptimizer(this.model.parameters, this.optimizerSpec());
    const size = raw.train.rows * raw.train.columns;
    this.pixels = tf.tensor2d(Float32Array.from(raw.train.pixels), [raw.train.count, size]);
    this.labels = tf.tensor1d(Int32Array.from(raw.train.labels), "int32");
  }

  /** The shared optimizer settings; decay applies wherever any trial decays (a zero rate multiplies by one). */
  private optimizerSpec() {
    const weightDecay = Math.max(...this.trials.map((t) => t.config.optimizer.weightDecay));
    return { ...this.leader.optimizer, weightDecay };
  }

  get active(): Trial[] {
    return this.trials.filter((t) => t.slot >= 0).sort((a, b) => a.slot - b.slot);
  }

  /** One update of every active trial; returns each trial's batch loss [K] (not read back). */
  step(step: number, learningRates: number[]): tf.Tensor1D {
    const active = this.active;
    const { batchSize } = this.leader;
    const size = this.pixels.shape[1];
    return tf.tidy(() => {
      const indices = new Int32Array(active.length * batchSize);
      for (const [k, t] of active.entries()) indices.set(rawBatchIndices(t, step), k * batchSize);
      const index = tf.tensor1d(indices, "int32");
      const scale = tf.tensor3d(
        active.map((t) => 1 / (255 * t.plan.std)),
        [active.length, 1, 1],
      );
      const shift = tf.tensor3d(
        active.map((t) => t.plan.mean / t.plan.std),
        [active.length, 1, 1],
      );
      const images = tf.sub(
        tf.mul(tf.reshape(tf.gather(this.pixels, index), [active.length, batchSize, size]), scale),
        shift,
      ) as tf.Tensor3D;
      const labels = tf.reshape(tf.gather(this.labels, index), [active.length, batchSize]) as tf.Tensor2D;
      let perTrial: tf.Tensor1D | undefined;
      const { grads } = tf.variableGrads(
        () => {
          // Kept past variableGrads' own tidy: the sum's gradient reaches each trial's weights from its loss only.
          perTrial = tf.keep(crossEntropyPerTrial(this.model.apply(images), labels, active[0]!.plan.classes));
          return tf.sum(perTrial);
        },
        this.model.parameters.map((p) => p.variable),
      );
      this.optimizer.applyGradients(grads, {
        learningRates,
        weightDecays: active.map((t) => t.config.optimizer.weightDecay),
      });
      return perTrial!;
    });
  }

  async checkpoint(trial: Trial, step: number): Promise<TrainingCheckpoint> {
    const k = trial.slot;
    const slice = (tensor: tf.Tensor) => tf.squeeze(tf.slice(tensor, [k], [1]), [0]);
    const parameters = this.model.trialParameters(k);
    const slots = this.optimizer.slots().map(({ name, tensor }) => ({ name, tensor: slice(tensor) }));
    try {
      return {
        step,
        parameters: await serializeTensors(parameters),
        buffers: [],
        optimizerSlots: await serializeTensors(slots),
        optimizerIterations: this.optimizer.iterations,
      };
    } finally {
      tf.dispose([...parameters, ...slots].map((p) => p.tensor));
    }
  }

  async evaluate(trial: Trial, includeValidation: boolean) {
    const model = this.model.trialModel(trial.slot);
    const classes = trial.plan.classes;
    const train = trialSplit(this.raw, trial, "train");
    const validation = includeValidation ? trialSplit(this.raw, trial, "validation") : undefined;
    try {
      return {
        train: await evaluateSplit(model, train, classes),
        validation: validation ? await evaluateSplit(model, validation, classes) : undefined,
      };
    } finally {
      model.dispose();
      disposeSplit(train);
      if (validation) disposeSplit(validation);
    }
  }

  async finish(trial: Trial) {
    const model = this.model.trialModel(trial.slot);
    const test = trialSplit(this.raw, trial, "test");
    const parameters = this.model.trialParameters(trial.slot);
    try {
      return {
        evaluation: await evaluateTest(model, test, trial.plan.classes),
        weights: await serializeTensors(parameters),
      };
    } finally {
      model.dispose();
      disposeSplit(test);
      tf.dispose(parameters.map((p) => p.tensor));
    }
  }

  /** Drops ended trials from the stack (weights and optimizer slots), so they cost nothing from here on. */
  async compact(): Promise<void> {
    const active = this.active;
    if (active.length === this.model.trials) return;
    const keep = active.map((t) => t.slot);
    const model = this.model.select(keep);
    const optimizer = createOptimizer(model.parameters, this.optimizerSpec());
    const index = tf.tensor1d(keep, "int32");
    const slots = this.optimizer
      .slots()
      .map(({ name, tensor }) => ({ name, tensor: tf.gather(tensor, index) }));
    optimizer.restore(await serializeTensors(slots), this.optimizer.iterations);
    tf.dispose([index, ...slots.map((s) => s.tensor)]);
    this.model.dispose();
    this.optimizer.dispose();
    this.model = model;
    this.optimizer = optimizer;
    active.forEach((t, k) => {
      t.slot = k;
    });
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
    tf.dispose([this.pixels, this.labels]);
  }
}

/**
 * Trains K configs that share an architecture, batch size and step count in one set of kernels: every weight and
 * batch carries a leading trial dimension. Each trial keeps its own seed (initialisation, validation split, batch
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
  let group: Group | undefined;
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
    group = new Group(raw, leader, trials);
    const versions: RunVersions = {
      core: coreVersion(),
      tfjs: tf.version_core,
      tensorflow: backend.tensorflowVersion,
      node: process.version,
    };
    const parameterCount = group.model.parameters.reduce((n, p) => n + p.variable.size / trials.length, 0);
    for (const trial of trials) {
      const { mean, std, classes, trainIndices, validationIndices } = trial.plan;
      yield {
        trialId: trial.id,
        event: {
          type: "started",
          dataset: { name: raw.name, rows: raw.train.rows, columns: raw.train.columns, classes, mean, std },
          config: trial.config,
          backend,
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
      for (const trial of trials) trial.startLoss = (await group.evaluate(trial, false)).train.loss;
    }
    const end = (trial: Trial, event: FailedEvent) => {
      trial.slot = -1;
      return { trialId: trial.id, event };
    };
    while (step < steps) {
      for (const trial of group.active) {
        if (trial.signal?.aborted) {
          yield end(trial, failedEvent(step, new CoreError("ABORTED", `run aborted at step ${step}`)));
        }
      }
      await group.compact();
      const active = group.active;
      if (active.length === 0) return;
      const learningRates = active.map((t) =>
        learningRateAt(step, steps, t.config.optimizer.learningRate, schedule),
      );
      const losses = times.time(() => group!.step(step, learningRates));
      step += 1;

      if (cadence.logs(step, leader)) {
        const values = await losses.data();
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
        for (const [k, trial] of active.entries()) {
          if (trial.slot < 0) continue;
          const { train, validation } = await group.evaluate(trial, trial.plan.validationIndices.length > 0);
          yield { trialId: trial.id, event: evalEvent(step, train, validation, learningRates[k]!) };
          if (step === divergenceStep) {
            const reference = referenceLoss(trial.startLoss, trial.plan.classes);
            const diverged = divergenceError(train.loss, step, reference);
            if (diverged) yield end(trial, failedEvent(step, diverged));
          }
        }
      }
      if (cadence.checkpoints(step, leader, options.checkpointEverySteps)) {
        for (const trial of group.active) {
          yield {
            trialId: trial.id,
            event: { type: "checkpoint", step, checkpoint: await group.checkpoint(trial, step) },
          };
        }
      }
      await yieldToEventLoop();
    }

    for (const trial of group.active) {
      const { evaluation, weights } = await group.finish(trial);
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
