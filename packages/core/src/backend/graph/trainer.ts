import type { HostSplit } from "../../data/dataset.ts";
import type { RunConfig } from "../../train/config.ts";
import { DT, type GraphAddon, type GraphTensor, type HostTensor } from "./addon.ts";
import { GraphBuilder, type GraphVariable, NO_JIT } from "./builder.ts";
import { buildForward, dropoutLayers, type GraphModelShape } from "./model-graph.ts";
import { buildOptimizer, type OptimizerGraph } from "./optimizer-graph.ts";
import { GraphSession } from "./session.ts";
import { sessionConfig } from "./session-config.ts";

/** A tensor's values on the host, named as checkpoints name it. */
export interface NamedValues {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface GraphTrainerInit {
  config: RunConfig;
  shape: GraphModelShape & { mean: number; std: number };
  train: HostSplit;
  /** Splits that evaluations read, in one table: [offset, count] of each part. */
  evaluation: { parts: Record<string, HostSplit> };
  /** The initial weights (made by core's eager models, so both paths start from the same numbers). */
  parameters: (NamedValues & { isBiasLike: boolean })[];
  buffers: NamedValues[];
  threads?: { intraOp?: number; interOp?: number };
  /**
   * XLA auto-clustering of the step (evaluation and checkpoints stay out): on two threads it brings the reference
   * MLP's step from 6.4 to 4.8 ms, but it slows the CNN 2x and one-thread steps, and compiles for 0.3-1 s first.
   */
  jit?: boolean;
}

export interface EvaluationTotals {
  lossSum: number;
  correct: number;
  count: number;
  predictions?: Int32Array;
}

/** Evaluation batch: large enough that the per-call cost vanishes, small enough for the CNN's activations. */
const EVAL_BATCH = 1000;

const floats = (shape: number[], values: Float32Array): HostTensor => ({
  dtype: DT.float,
  shape,
  data: values,
});

function decays(spec: RunConfig["optimizer"], isBiasLike: boolean): boolean {
  return spec.weightDecay > 0 && (spec.decayBiases || !isBiasLike);
}

function normalise(g: GraphBuilder, pixels: GraphTensor, mean: number, std: number): GraphTensor {
  // (p / 255 - mean) / std, as data/dataset.ts normalisePixels: p * scale - shift.
  const scaled = g.binary("Mul", g.cast(pixels, DT.float), g.scalar(1 / (255 * std)));
  return g.binary("Sub", scaled, g.scalar(mean / std));
}

/**
 * One run's training step and evaluation as one TensorFlow graph in one session: the weights, the optimizer's
 * slots, the batch-norm statistics and the datasets live in the session, and a step is one session call that takes
 * the batch's indices (or its augmented pixels) and the step's scalars and returns the loss.
 */
export class GraphTrainer {
  /** The datasets' host values, held only until the session has them. */
  private readonly dataVariables: [GraphVariable, HostTensor][] = [];
  private readonly session: GraphSession;
  private readonly stepFetch: GraphTensor;
  private readonly stepTarget: string;
  private readonly stepIndices: GraphTensor;
  private readonly stepPixels: GraphTensor;
  private readonly dropoutSeeds: GraphTensor[];
  private readonly optimizer: OptimizerGraph;
  private readonly evalIndices: GraphTensor;
  private readonly evalFetches: GraphTensor[];
  private readonly evalOffsets = new Map<string, { offset: number; count: number }>();
  private readonly parameterVariables: GraphVariable[];
  private readonly bufferVariables: GraphVariable[];

  constructor(
    addon: GraphAddon,
    private readonly init: GraphTrainerInit,
  ) {
    const { config, shape } = init;
    const g = new GraphBuilder(addon);
    const size = shape.rows * shape.columns;
    const vars = new Map<string, GraphVariable>();
    this.parameterVariables = init.parameters.map((p) => g.variable(p.name, DT.float, p.shape));
    this.bufferVariables = init.buffers.map((b) => g.variable(b.name, DT.float, b.shape));
    for (const v of [...this.parameterVariables, ...this.bufferVariables]) vars.set(v.name, v);

    // Training: gather the batch from the training split held in the session; augmentation feeds the pixels.
    const trainPixels = g.variable("data/train_pixels", DT.uint8, [init.train.count, size]);
    const trainLabels = g.variable("data/train_labels", DT.int32, [init.train.count]);
    this.dataVariables.push(
      [trainPixels, { dtype: DT.uint8, shape: [init.train.count, size], data: init.train.pixels }],
      [trainLabels, { dtype: DT.int32, shape: [init.train.count], data: Int32Array.from(init.train.labels) }],
    );
    this.stepIndices = g.placeholder("batch_indices", DT.int32, [-1]);
    this.stepPixels = g.gather(trainPixels, this.stepIndices);
    const labels = g.gather(trainLabels, this.stepIndices);
    this.dropoutSeeds = Array.from({ length: dropoutLayers(config.model) }, (_, i) =>
      g.placeholder(`dropout_seed${i}`, DT.int64, [2]),
    );
    const forward = buildForward(g, config.model, shape, vars, {
      images: normalise(g, this.stepPixels, shape.mean, shape.std),
      training: true,
      dropoutSeeds: this.dropoutSeeds,
    });
    const loss = this.crossEntropy(g, forward.logits, labels, shape.classes);
    this.stepFetch = g.reduce("Mean", loss, [0]);
    const gradients = g.gradients(
      "gradients",
      this.stepFetch,
      this.parameterVariables.map((v) => v.read),
    );
    this.optimizer = buildOptimizer(
      g,
      config.optimizer,
      this.parameterVariables.map((variable, i) => ({
        name: variable.name,
        variable,
        gradient: gradients[i]!,
        decays: decays(config.optimizer, init.parameters[i]!.isBiasLike),
      })),
    );
    this.stepTarget = g.group("train_step", [...this.optimizer.updates, ...forward.updates]);

    // Evaluation: every split it reads in one table, rows picked by index.
    let offset = 0;
    const parts = Object.entries(init.evaluation.parts);
    for (const [name, split] of parts) {
      this.evalOffsets.set(name, { offset, count: split.count });
      offset += split.count;
    }
    const evalPixelData = new Uint8Array(offset * size);
    const evalLabelData = new Int32Array(offset);
    for (const [name, split] of parts) {
      const at = this.evalOffsets.get(name)!.offset;
      evalPixelData.set(split.pixels.subarray(0, split.count * size), at * size);
      evalLabelData.set(split.labels.subarray(0, split.count), at);
    }
    const evalPixels = g.variable("data/eval_pixels", DT.uint8, [offset, size]);
    const evalLabels = g.variable("data/eval_labels", DT.int32, [offset]);
    this.dataVariables.push(
      [evalPixels, { dtype: DT.uint8, shape: [offset, size], data: evalPixelData }],
      [evalLabels, { dtype: DT.int32, shape: [offset], data: evalLabelData }],
    );
    this.evalIndices = g.placeholder("eval_indices", DT.int32, [-1]);
    // Evaluation reads the variables through their own reads, outside any XLA cluster of the step.
    const peeks = new Map([...vars].map(([name, v]) => [name, { ...v, read: v.peek }]));
    this.evalFetches = g.withAttrs(NO_JIT, () => {
      const evalForward = buildForward(g, config.model, shape, peeks, {
        images: normalise(g, g.gather(evalPixels, this.evalIndices), shape.mean, shape.std),
        training: false,
      });
      const evalLabelsBatch = g.gather(evalLabels, this.evalIndices);
      const predictions = g.argMax(evalForward.logits, 1);
      const correct = g.cast(g.binary("Equal", predictions, evalLabelsBatch), DT.float);
      return [
        g.reduce("Sum", this.crossEntropy(g, evalForward.logits, evalLabelsBatch, shape.classes), [0]),
        g.reduce("Sum", correct, [0]),
        predictions,
      ];
    });

    this.session = new GraphSession(addon, g.graph, sessionConfig(init.threads ?? {}, init.jit ?? false));
    this.session.assign([
      ...this.dataVariables,
      ...init.parameters.map((p, i) => [this.parameterVariables[i]!, floats(p.shape, p.values)] as const),
      ...init.buffers.map((b, i) => [this.bufferVariables[i]!, floats(b.shape, b.values)] as const),
      ...this.optimizer.slots.map(
        (s) => [s, floats(s.shape, new Float32Array(s.shape.reduce((a, b) => a * b, 1)))] as const,
      ),
    ]);
    // The datasets are in the session now; the host copies made here can go.
    this.dataVariables.length = 0;
  }

  private crossEntropy(
    g: GraphBuilder,
    logits: GraphTensor,
    labels: GraphTensor,
    classes: number,
  ): GraphTensor {
    const oneHot = g.out(
      "OneHot",
      "one_hot",
      [labels, g.scalar(classes, DT.int32), g.scalar(1), g.scalar(0)],
      [["axis", "int", -1]],
    );
    return [g.op("SoftmaxCrossEntropyWithLogits", "cross_entropy", [logits, oneHot]), 0];
  }

  /**
   * One optimizer update (update number `iteration`, 1-based) on the examples at `indices`, or on `pixels`
   * (their augmented bytes) when given. Returns the batch's mean loss.
   */
  step(
    indices: Int32Array,
    iteration: number,
    learningRate: number,
    dropoutSeed: number,
    pixels?: Uint8Array,
  ) {
    const size = this.init.shape.rows * this.init.shape.columns;
    const feeds: [GraphTensor, HostTensor][] = [
      [this.stepIndices, { dtype: DT.int32, shape: [indices.length], data: indices }],
      ...this.optimizer.feeds(iteration, learningRate),
      ...this.dropoutSeeds.map((seed, layer): [GraphTensor, HostTensor] => [
        seed,
        {
          dtype: DT.int64,
          shape: [2],
          data: BigInt64Array.of(BigInt(this.init.config.seed), BigInt(dropoutSeed * 16 + layer)),
        },
      ]),
    ];
    if (pixels)
      feeds.push([this.stepPixels, { dtype: DT.uint8, shape: [indices.length, size], data: pixels }]);
    const [loss] = this.session.run(feeds, [this.stepFetch], [this.stepTarget]);
    return (loss!.data as Float32Array)[0]!;
  }

  /** Summed loss, correct count (and the predictions, when asked) over the first `limit` examples of a part. */
  evaluate(part: string, limit?: number, withPredictions = false): EvaluationTotals {
    const range = this.evalOffsets.get(part);
    if (!range) throw new Error(`no evaluation split ${part}`);
    const count = Math.min(limit ?? range.count, range.count);
    let lossSum = 0;
    let correct = 0;
    const predictions = withPredictions ? new Int32Array(count) : undefined;
    for (let start = 0; start < count; start += EVAL_BATCH) {
      const size = Math.min(EVAL_BATCH, count - start);
      const indices = Int32Array.from({ length: size }, (_, i) => range.offset + start + i);
      const [loss, right, predicted] = this.session.run(
        [[this.evalIndices, { dtype: DT.int32, shape: [size], data: indices }]],
        withPredictions ? this.evalFetches : this.evalFetches.slice(0, 2),
      );
      lossSum += (loss!.data as Float32Array)[0]!;
      correct += (right!.data as Float32Array)[0]!;
      if (predictions && predicted) predictions.set(predicted.data as Int32Array, start);
    }
    return { lossSum, correct, count, ...(predictions ? { predictions } : {}) };
  }

  private readValues(variables: GraphVariable[]): NamedValues[] {
    if (variables.length === 0) return [];
    const values = this.session.run(
      [],
      variables.map((v) => v.peek),
    );
    return variables.map((v, i) => ({
      name: v.name,
      shape: v.shape.slice(),
      values: values[i]!.data as Float32Array,
    }));
  }

  /** The weights, the batch-norm statistics and the optimizer's slots as they are now. */
  read(): { parameters: NamedValues[]; buffers: NamedValues[]; slots: NamedValues[] } {
    return {
      parameters: this.readValues(this.parameterVariables),
      buffers: this.readValues(this.bufferVariables),
      slots: this.readValues(this.optimizer.slots),
    };
  }

  /** Writes saved values back by name; every variable of the group must be present with its size. */
  write(group: "parameters" | "buffers" | "slots", saved: NamedValues[]): void {
    const variables =
      group === "parameters"
        ? this.parameterVariables
        : group === "buffers"
          ? this.bufferVariables
          : this.optimizer.slots;
    const byName = new Map(saved.map((s) => [s.name, s]));
    this.session.assign(
      variables.map((v) => {
        const entry = byName.get(v.name);
        const size = v.shape.reduce((a, b) => a * b, 1);
        if (!entry || entry.values.length !== size)
          throw new Error(`no ${group} entry ${v.name} of size ${size}`);
        return [v, floats(v.shape, entry.values)] as const;
      }),
    );
  }

  close(): void {
    this.session.close();
  }
}
