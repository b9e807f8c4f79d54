import type { ModelSpec } from "../../models/spec.ts";
import type { OptimizerSpec } from "../../optim/spec.ts";
import { DT, type GraphAddon, type GraphTensor, type HostTensor, type SessionHandle } from "./addon.ts";
import { buildStackedForward, type StackedReads } from "./batched-model-graph.ts";
import { type BatchedOptimizerGraph, buildBatchedOptimizer } from "./batched-optimizer-graph.ts";
import { GraphBuilder, type GraphVariable, NO_JIT } from "./builder.ts";
import type { GraphModelShape } from "./model-graph.ts";
import { sessionConfig } from "./session-config.ts";
import type { NamedValues } from "./trainer.ts";

export interface BatchedGraphTrainerInit {
  model: ModelSpec;
  /** The settings every trial shares; `weightDecay` only says whether decay applies at all (see the optimizer). */
  optimizer: OptimizerSpec;
  shape: GraphModelShape;
  /** K: every parameter and slot has this leading dimension. */
  trials: number;
  /** The example table that steps and evaluations gather rows from: pixels [count, rows * columns], labels [count]. */
  table: { pixels: Uint8Array; labels: Int32Array; count: number };
  /** Stacked initial weights [K, ...] under the single model's names. */
  parameters: (NamedValues & { isBiasLike: boolean })[];
  /** Stacked optimizer slots to start from (a regrouped stack); zeros when absent. */
  slots?: NamedValues[];
  threads?: { intraOp?: number; interOp?: number };
  /** XLA auto-clustering of the step (as GraphTrainer's `jit`). */
  jit?: boolean;
}

/** Per-trial totals of one evaluation: loss sums and correct counts [K], predictions [K, n] when asked. */
export interface BatchedEvaluationTotals {
  lossSums: Float64Array;
  correct: Float64Array;
  predictions?: Int32Array[];
}

/** Examples per evaluation call over all trials together (a trial gets its share of them). */
const EVAL_ROWS = 2000;

const floats = (shape: number[], values: Float32Array): HostTensor => ({
  dtype: DT.float,
  shape,
  data: values,
});
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function decays(spec: OptimizerSpec, isBiasLike: boolean): boolean {
  return spec.weightDecay > 0 && (spec.decayBiases || !isBiasLike);
}

/**
 * K trials of one architecture trained as one TensorFlow graph in one session: every weight and slot stacked on a
 * leading trial axis, a step one session call that takes each trial's batch indices (rows of the table), its
 * normalisation, learning rate and weight decay, and returns each trial's loss. Evaluation runs the same stacked
 * forward pass on the weights as they are, every trial on its own examples. The trials never mix: a trial whose
 * weights overflow leaves the others' numbers as they were.
 */
export class BatchedGraphTrainer {
  readonly trials: number;
  private readonly builder: GraphBuilder;
  private readonly session: SessionHandle;
  private readonly stepIndices: GraphTensor;
  private readonly stepScale: GraphTensor;
  private readonly stepShift: GraphTensor;
  private readonly stepFetch: GraphTensor;
  private readonly stepTarget: string;
  private readonly optimizer: BatchedOptimizerGraph;
  private readonly evalIndices: GraphTensor;
  private readonly evalScale: GraphTensor;
  private readonly evalShift: GraphTensor;
  private readonly evalFetches: GraphTensor[];
  private readonly parameterVariables: GraphVariable[];
  private closed = false;

  constructor(
    private readonly addon: GraphAddon,
    init: BatchedGraphTrainerInit,
  ) {
    const { shape, trials } = init;
    this.trials = trials;
    const g = new GraphBuilder(addon);
    this.builder = g;
    const pixelsPerImage = shape.rows * shape.columns;
    this.parameterVariables = init.parameters.map((p) => g.variable(p.name, DT.float, p.shape));
    const pixels = g.variable("data/pixels", DT.uint8, [init.table.count, pixelsPerImage]);
    const labels = g.variable("data/labels", DT.int32, [init.table.count]);

    // Images [K, n, pixels] from K * n table rows, each trial normalised with its own split's mean and std.
    const images = (indices: GraphTensor, scale: GraphTensor, shift: GraphTensor) => {
      const raw = g.reshape(g.cast(g.gather(pixels, indices), DT.float), [trials, -1, pixelsPerImage]);
      const perTrial = (v: GraphTensor) => g.reshape(v, [trials, 1, 1]);
      return g.binary("Sub", g.binary("Mul", raw, perTrial(scale)), perTrial(shift));
    };
    const perTrialLosses = (logits: GraphTensor, indices: GraphTensor) => {
      const batchLabels = g.gather(labels, indices);
      const oneHot = g.out(
        "OneHot",
        "one_hot",
        [batchLabels, g.scalar(shape.classes, DT.int32), g.scalar(1), g.scalar(0)],
        [["axis", "int", -1]],
      );
      const flat = g.reshape(logits, [-1, shape.classes]);
      const loss: GraphTensor = [g.op("SoftmaxCrossEntropyWithLogits", "cross_entropy", [flat, oneHot]), 0];
      return { perExample: g.reshape(loss, [trials, -1]), batchLabels };
    };

    this.stepIndices = g.placeholder("batch_indices", DT.int32, [-1]);
    this.stepScale = g.placeholder("batch_scale", DT.float, [trials]);
    this.stepShift = g.placeholder("batch_shift", DT.float, [trials]);
    const reads: StackedReads = new Map(this.parameterVariables.map((v) => [v.name, v.read]));
    const logits = buildStackedForward(
      g,
      init.model,
      shape,
      trials,
      reads,
      images(this.stepIndices, this.stepScale, this.stepShift),
    );
    this.stepFetch = g.reduce("Mean", perTrialLosses(logits, this.stepIndices).perExample, [1]);
    // The sum's gradient reaches each trial's weights from its own loss only.
    const total = g.reduce("Sum", this.stepFetch, [0]);
    const gradients = g.gradients(
      "gradients",
      total,
      this.parameterVariables.map((v) => v.read),
    );
    this.optimizer = buildBatchedOptimizer(
      g,
      init.optimizer,
      trials,
      this.parameterVariables.map((variable, i) => ({
        name: variable.name,
        variable,
        gradient: gradients[i]!,
        decays: decays(init.optimizer, init.parameters[i]!.isBiasLike),
      })),
    );
    this.stepTarget = g.group("train_step", this.optimizer.updates);

    this.evalIndices = g.placeholder("eval_indices", DT.int32, [-1]);
    this.evalScale = g.placeholder("eval_scale", DT.float, [trials]);
    this.evalShift = g.placeholder("eval_shift", DT.float, [trials]);
    this.evalFetches = g.withAttrs(NO_JIT, () => {
      const peeks: StackedReads = new Map(this.parameterVariables.map((v) => [v.name, v.peek]));
      const evalLogits = buildStackedForward(
        g,
        init.model,
        shape,
        trials,
        peeks,
        images(this.evalIndices, this.evalScale, this.evalShift),
      );
      const { perExample, batchLabels } = perTrialLosses(evalLogits, this.evalIndices);
      const predictions = g.argMax(evalLogits, 2);
      const right = g.binary("Equal", predictions, g.reshape(batchLabels, [trials, -1]));
      return [g.reduce("Sum", perExample, [1]), g.reduce("Sum", g.cast(right, DT.float), [1]), predictions];
    });

    this.session = addon.newSession(g.graph, sessionConfig(init.threads ?? {}, init.jit ?? false));
    const savedSlots = new Map((init.slots ?? []).map((s) => [s.name, s]));
    this.assign([
      [pixels, { dtype: DT.uint8, shape: [init.table.count, pixelsPerImage], data: init.table.pixels }],
      [labels, { dtype: DT.int32, shape: [init.table.count], data: init.table.labels }],
      ...init.parameters.map((p, i) => [this.parameterVariables[i]!, floats(p.shape, p.values)] as const),
      ...this.optimizer.slots.map((s) => {
        const saved = savedSlots.get(s.name);
        if (init.slots && saved?.values.length !== size(s.shape)) throw new Error(`no slot ${s.name}`);
        return [s, floats(s.shape, saved?.values ?? new Float32Array(size(s.shape)))] as const;
      }),
    ]);
  }

  private run(
    feeds: [GraphTensor, HostTensor][],
    fetches: GraphTensor[],
    targets: string[] = [],
  ): HostTensor[] {
    if (this.closed) throw new Error("the graph session is closed");
    return this.addon.run(this.session, this.builder.graph, feeds, fetches, targets);
  }

  private assign(pairs: readonly (readonly [GraphVariable, HostTensor])[]): void {
    this.run(
      pairs.map(([v, value]) => [v.feed, value]),
      [],
      pairs.map(([v]) => v.assign),
    );
  }

  /**
   * One update of every trial (update number `iteration`, 1-based): trial k trains on the table rows
   * indices[k * batch, (k + 1) * batch), normalised as x * scale[k] - shift[k]. Returns each trial's mean loss.
   */
  step(
    indices: Int32Array,
    normalisation: { scale: number[]; shift: number[] },
    iteration: number,
    learningRates: readonly number[],
    weightDecays: readonly number[],
  ): Float32Array {
    const [losses] = this.run(
      [
        [this.stepIndices, { dtype: DT.int32, shape: [indices.length], data: indices }],
        [this.stepScale, floats([this.trials], Float32Array.from(normalisation.scale))],
        [this.stepShift, floats([this.trials], Float32Array.from(normalisation.shift))],
        ...this.optimizer.feeds(iteration, learningRates, weightDecays),
      ],
      [this.stepFetch],
      [this.stepTarget],
    );
    return losses!.data as Float32Array;
  }

  /**
   * Every trial on its own `count` table rows (rows[k] of trial k, all of one length): summed losses, correct
   * counts and, when asked, the predicted classes.
   */
  evaluate(
    rows: Int32Array[],
    normalisation: { scale: number[]; shift: number[] },
    withPredictions = false,
  ): BatchedEvaluationTotals {
    const K = this.trials;
    const count = rows[0]?.length ?? 0;
    const lossSums = new Float64Array(K);
    const correct = new Float64Array(K);
    const predictions = withPredictions ? rows.map(() => new Int32Array(count)) : undefined;
    const chunk = Math.max(1, Math.floor(EVAL_ROWS / K));
    const scale = floats([K], Float32Array.from(normalisation.scale));
    const shift = floats([K], Float32Array.from(normalisation.shift));
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const indices = new Int32Array(K * n);
      for (const [k, r] of rows.entries()) indices.set(r.subarray(start, start + n), k * n);
      const [loss, right, predicted] = this.run(
        [
          [this.evalIndices, { dtype: DT.int32, shape: [indices.length], data: indices }],
          [this.evalScale, scale],
          [this.evalShift, shift],
        ],
        withPredictions ? this.evalFetches : this.evalFetches.slice(0, 2),
      );
      for (let k = 0; k < K; k++) {
        lossSums[k]! += (loss!.data as Float32Array)[k]!;
        correct[k]! += (right!.data as Float32Array)[k]!;
        if (predictions)
          predictions[k]!.set((predicted!.data as Int32Array).subarray(k * n, (k + 1) * n), start);
      }
    }
    return { lossSums, correct, ...(predictions ? { predictions } : {}) };
  }

  /** The stacked weights and optimizer slots as they are now. */
  read(): { parameters: NamedValues[]; slots: NamedValues[] } {
    const variables = [...this.parameterVariables, ...this.optimizer.slots];
    const values = this.run(
      [],
      variables.map((v) => v.peek),
    );
    const named = variables.map((v, i) => ({
      name: v.name,
      shape: v.shape.slice(),
      values: values[i]!.data as Float32Array,
    }));
    return {
      parameters: named.slice(0, this.parameterVariables.length),
      slots: named.slice(this.parameterVariables.length),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.addon.closeSession(this.session);
  }
}

/** Trial k's row of stacked values, shaped as the single model's tensor. */
export function trialRow(stacked: NamedValues, k: number): NamedValues {
  const [trials, ...shape] = stacked.shape;
  const rowSize = stacked.values.length / trials!;
  return { name: stacked.name, shape, values: stacked.values.slice(k * rowSize, (k + 1) * rowSize) };
}

/** The rows at `keep` (in that order) of stacked values. */
export function selectRows(stacked: NamedValues, keep: number[]): NamedValues {
  const [trials, ...shape] = stacked.shape;
  const rowSize = stacked.values.length / trials!;
  const values = new Float32Array(keep.length * rowSize);
  for (const [i, k] of keep.entries())
    values.set(stacked.values.subarray(k * rowSize, (k + 1) * rowSize), i * rowSize);
  return { name: stacked.name, shape: [keep.length, ...shape], values };
}
