import * as tf from "@tensorflow/tfjs-core";
import { type HostDataset, toDeviceDataset } from "../data/dataset.ts";
import { CoreError } from "../errors.ts";
import { buildModel } from "../models/build.ts";
import { countParameters, type Model } from "../models/model.ts";
import { type SerializedTensor, serializeTensors } from "../models/parameters.ts";
import { createOptimizer } from "../optim/create.ts";
import type { Optimizer } from "../optim/optimizer.ts";
import type { RunConfig } from "./config.ts";
import type { TrainingEngine } from "./engine.ts";
import { evaluateSplit, evaluateTest } from "./evaluate.ts";
import type { TrainingCheckpoint } from "./events.ts";
import { trainingStep } from "./step.ts";

/** Writes saved tensors into variables by name, freeing each temporary. */
export function assignByName(
  targets: { name: string; variable: tf.Variable }[],
  saved: SerializedTensor[],
): void {
  const byName = new Map(saved.map((s) => [s.name, s]));
  for (const { name, variable } of targets) {
    const entry = byName.get(name);
    if (!entry || entry.values.length !== variable.size) {
      throw new CoreError("INVALID_CONFIG", `checkpoint does not match the model: ${name}`);
    }
    tf.tidy(() => variable.assign(tf.tensor(entry.values, variable.shape)));
  }
}

/** Op by op through TensorFlow.js, on whichever backend is active: the reference path, and the only one off native. */
export function createEagerEngine(config: RunConfig, host: HostDataset): TrainingEngine {
  const dataset = toDeviceDataset(host);
  let model: Model | undefined;
  let optimizer: Optimizer | undefined;
  try {
    model = buildModel(config.model, { ...dataset, seed: config.seed });
    optimizer = createOptimizer(model.parameters, config.optimizer);
  } catch (error) {
    model?.dispose();
    dataset.dispose();
    throw error;
  }
  const context = { config, dataset, model, optimizer };
  const live = { model, optimizer };
  const { name, rows, columns, classes, mean, std } = dataset;
  return {
    execution: "eager",
    dataset: {
      name,
      rows,
      columns,
      classes,
      mean,
      std,
      trainCount: dataset.train.count,
      validationCount: dataset.validation.count,
    },
    parameterCount: countParameters(model),
    step(indices, step, learningRate) {
      const loss = trainingStep(context, indices, step, learningRate);
      return { read: async () => (await loss.data())[0]!, dispose: () => loss.dispose() };
    },
    evaluate: (split, limit) => evaluateSplit(live.model, dataset[split], dataset.classes, limit),
    evaluateTest: () => evaluateTest(live.model, dataset.test, dataset.classes),
    async snapshot(step): Promise<TrainingCheckpoint> {
      return {
        step,
        parameters: await serializeTensors(
          live.model.parameters.map((p) => ({ name: p.name, tensor: p.variable })),
        ),
        buffers: await serializeTensors(
          live.model.buffers.map((b) => ({ name: b.name, tensor: b.variable })),
        ),
        optimizerSlots: await serializeTensors(live.optimizer.slots()),
        optimizerIterations: live.optimizer.iterations,
      };
    },
    restore(checkpoint) {
      assignByName(live.model.parameters, checkpoint.parameters);
      assignByName(live.model.buffers, checkpoint.buffers);
      live.optimizer.restore(checkpoint.optimizerSlots, checkpoint.optimizerIterations);
    },
    weights: () =>
      serializeTensors([
        ...live.model.parameters.map((p) => ({ name: p.name, tensor: p.variable as tf.Tensor })),
        ...live.model.buffers.map((b) => ({ name: b.name, tensor: b.variable as tf.Tensor })),
      ]),
    dispose() {
      live.optimizer.dispose();
      live.model.dispose();
      dataset.dispose();
    },
  };
}
