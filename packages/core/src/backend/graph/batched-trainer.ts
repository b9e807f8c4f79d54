import type { ModelSpec } from "../../models/spec.ts";
import type { OptimizerSpec } from "../../optim/spec.ts";
import { DT, type GraphAddon, type GraphTensor, type HostTensor } from "./addon.ts";
import {
  type BatchedLayout,
  buildPerTrialForward,
  buildStackedForward,
  type StackedReads,
} from "./batched-model-graph.ts";
import { GraphBuilder, type GraphVariable } from "./builder.ts";
import { buildForward, type GraphModelShape } from "./model-graph.ts";
import { buildOptimizer, type OptimizerGraph } from "./optimizer-graph.ts";
import { GraphSession } from "./session.ts";
import { sessionConfig } from "./session-config.ts";
import type { NamedValues } from "./trainer.ts";

export interface BatchedGraphTrainerInit {
  model: ModelSpec;
  /** The settings every trial shares; `weightDecay` only says whether decay applies at all (see the optimizer). */
  optimizer: OptimizerSpec;
  shape: GraphModelShape;
  /** K: the leading dimension of every stacked value passed in and read out. */
  trials: number;
  /** The example table that steps and evaluations gather rows from: pixels [count, rows * columns], labels [count]. */
  table: { pixels: Uint8Array; labels: Int32Array; count: number };
  /** Stacked initial weights [K, ...] under the single model's names. */
  parameters: (NamedValues & { isBiasLike: boolean })[];
  /** Trial k's weight decay (its optimizer's own; `optimizer.weightDecay` says where decay applies at all). */
  weightDecays: number[];
  /** Stacked optimizer slots to start from (a regrouped stack); zeros when absent. */
  slots?: NamedValues[];
  layout: BatchedLayout;
  /**
   * `per-trial` only: run the trials' steps one after the other within the call, so one trial's weights, moments and
   * activations are in the caches at a time. On one thread that measured 1.2-2.4x faster than interleaving them;
   * on two, interleaving was as fast or faster (BENCHMARKS.md).
   */
  trialAfterTrial?: boolean;
  threads?: { intraOp?: number; interOp?: number };
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
 * K trials of one architecture trained as one TensorFlow graph in one session: each trial's weights and optimizer
 * slots in variables of their own (taken in and read out as stacked values [K, ...] under the single model's names),
 * a step one session call that takes each trial's batch indices (rows of the table), normalisation and learning rate
 * and returns each trial's loss. Evaluation runs the forward passes on the weights as they are, every trial on its
 * own examples. The trials never mix: a trial whose weights overflow leaves the others' numbers as they were.
 */
export class BatchedGraphTrainer {
  readonly trials: number;
  private readonly session: GraphSession;
  private readonly stepIndices: GraphTensor;
  private readonly stepScale: GraphTensor;
  private readonly stepShift: GraphTensor;
  private readonly stepFetch: GraphTensor;
  private readonly stepTarget: string;
  /** One optimizer per trial, over that trial's variables. */
  private readonly optimizers: OptimizerGraph[];
  private readonly evalIndices: GraphTensor;
  private readonly evalScale: GraphTensor;
  private readonly evalShift: GraphTensor;
  private readonly evalFetches: GraphTensor[];
  /** parameterVariables[k][j]: trial k's parameter j. */
  private readonly parameterVariables: GraphVariable[][];
  private readonly parameterNames: string[];

  constructor(addon: GraphAddon, init: BatchedGraphTrainerInit) {
    const { shape, trials } = init;
    this.trials = trials;
    const g = new GraphBuilder(addon);
    const pixelsPerImage = shape.rows * shape.columns;
    this.parameterNames = init.parameters.map((p) => p.name);
    // Each trial's weights in variables of their own, so each trial's update is TensorFlow's fused kernel at its own
    // scalar rates (they take no per-row rates); the stacked layout packs them on a trial axis for its forward pass.
    this.parameterVariables = Array.from({ length: trials }, (_, k) =>
      init.parameters.map((p) => g.variable(`trial${k}/${p.name}`, DT.float, p.shape.slice(1))),
    );
    const forward = (which: "read" | "peek", images: GraphTensor): GraphTensor => {
      if (init.layout === "per-trial") {
        const trialVariables = this.parameterVariables.map(
          (vars) => new Map(vars.map((v, j) => [this.parameterNames[j]!, { ...v, read: v[which] }])),
        );
        return buildPerTrialForward(g, init.model, shape, trialVariables, images);
      }
      const packed: StackedReads = new Map(
        this.parameterNames.map((name, j) => [
          name,
          g.out(
            "Pack",
            `${name}/pack`,
            [this.parameterVariables.map((vars) => vars[j]![which])],
            [["axis", "int", 0]],
          ),
        ]),
      );
      return buildStackedForward(g, init.model, shape, trials, packed, images);
    };
    const pixels = g.variable("data/pixels", DT.uint8, [init.table.count, pixelsPerImage]);
    const labels = g.variable("data/labels", DT.int32, [init.table.count]);

    // Images [K, n, pixels] from K * n table rows, each trial normalised with its own split's mean and std.
    const images = (indices: GraphTensor, scale: GraphTensor, shift: GraphTensor) => {
      const raw = g.reshape(g.cast(g.gather(pixels, indices), DT.float), [trials, -1, pixelsPerImage]);
      const perTrial = (v: GraphTensor) => g.reshape(v, [trials, 1, 1]);
      return g.binary("Sub", g.binary("Mul", raw, perTrial(scale)), perTrial(shift));
    };
    const crossEntropy = (logits: GraphTensor, batchLabels: GraphTensor): GraphTensor => {
      const oneHot = g.out(
        "OneHot",
        "one_hot",
        [batchLabels, g.scalar(shape.classes, DT.int32), g.scalar(1), g.scalar(0)],
        [["axis", "int", -1]],
      );
      return [g.op("SoftmaxCrossEntropyWithLogits", "cross_entropy", [logits, oneHot]), 0];
    };
    const perTrialLosses = (logits: GraphTensor, indices: GraphTensor) => {
      const batchLabels = g.gather(labels, indices);
      const loss = crossEntropy(g.reshape(logits, [-1, shape.classes]), batchLabels);
      return { perExample: g.reshape(loss, [trials, -1]), batchLabels };
    };
    // Decay touches a parameter wherever any trial decays it (init.optimizer.weightDecay is the group's largest); a
    // trial's own rate goes into its own optimizer, so a trial without decay multiplies by one.
    const optimizerFor = (k: number, gradients: GraphTensor[]) =>
      buildOptimizer(
        g,
        { ...init.optimizer, weightDecay: init.weightDecays[k]! },
        this.parameterVariables[k]!.map((variable, j) => ({
          name: init.parameters[j]!.name,
          variable,
          gradient: gradients[j]!,
          decays: decays(init.optimizer, init.parameters[j]!.isBiasLike),
        })),
      );

    this.stepIndices = g.placeholder("batch_indices", DT.int32, [-1]);
    this.stepScale = g.placeholder("batch_scale", DT.float, [trials]);
    this.stepShift = g.placeholder("batch_shift", DT.float, [trials]);
    const stepImages = images(this.stepIndices, this.stepScale, this.stepShift);
    if (init.layout === "per-trial") {
      // Each trial's own step (forward, loss, gradients, update), the K of them in one call: interleaved by
      // TensorFlow's inter-op threads, or trial after trial (trial k starts once trial k - 1's update is done).
      const batch = g.op("Unpack", "unpack_batch", [stepImages], [["num", "int", trials]]);
      const batchLabels = g.reshape(g.gather(labels, this.stepIndices), [trials, -1]);
      const labelRows = g.op("Unpack", "unpack_labels", [batchLabels], [["num", "int", trials]]);
      const losses: GraphTensor[] = [];
      this.optimizers = [];
      let previous: string[] = [];
      for (const [k, vars] of this.parameterVariables.entries()) {
        const x: GraphTensor = [g.op("Identity", `trial${k}/batch`, [[batch, k]], [], previous), 0];
        const trialVariables = new Map(vars.map((v, j) => [this.parameterNames[j]!, v]));
        const { logits } = buildForward(g, init.model, shape, trialVariables, { images: x, training: true });
        const loss = g.reduce("Mean", crossEntropy(logits, [labelRows, k]), [0]);
        losses.push(loss);
        const optimizer = optimizerFor(
          k,
          g.gradients(
            `gradients_trial${k}`,
            loss,
            vars.map((v) => v.read),
          ),
        );
        this.optimizers.push(optimizer);
        if (init.trialAfterTrial) previous = optimizer.updates;
      }
      this.stepFetch = g.out("Pack", "pack_losses", [losses], [["axis", "int", 0]]);
    } else {
      const logits = forward("read", stepImages);
      this.stepFetch = g.reduce("Mean", perTrialLosses(logits, this.stepIndices).perExample, [1]);
      // The sum's gradient reaches each trial's weights from its own loss only.
      const gradients = g.gradients(
        "gradients",
        g.reduce("Sum", this.stepFetch, [0]),
        this.parameterVariables.flat().map((v) => v.read),
      );
      const count = this.parameterNames.length;
      this.optimizers = this.parameterVariables.map((_, k) =>
        optimizerFor(k, gradients.slice(k * count, (k + 1) * count)),
      );
    }
    this.stepTarget = g.group(
      "train_step",
      this.optimizers.flatMap((o) => o.updates),
    );

    this.evalIndices = g.placeholder("eval_indices", DT.int32, [-1]);
    this.evalScale = g.placeholder("eval_scale", DT.float, [trials]);
    this.evalShift = g.placeholder("eval_shift", DT.float, [trials]);
    // Evaluation reads the variables through their own reads (peek), never through the step's.
    const evalLogits = forward("peek", images(this.evalIndices, this.evalScale, this.evalShift));
    const { perExample, batchLabels } = perTrialLosses(evalLogits, this.evalIndices);
    const predictions = g.argMax(evalLogits, 2);
    const right = g.binary("Equal", predictions, g.reshape(batchLabels, [trials, -1]));
    this.evalFetches = [
      g.reduce("Sum", perExample, [1]),
      g.reduce("Sum", g.cast(right, DT.float), [1]),
      predictions,
    ];

    this.session = new GraphSession(addon, g.graph, sessionConfig(init.threads ?? {}));
    const savedSlots = new Map((init.slots ?? []).map((s) => [s.name, s]));
    const row = (stacked: NamedValues | undefined, variable: GraphVariable, k: number) => {
      const values = stacked ? trialRow(stacked, k).values : new Float32Array(size(variable.shape));
      if (values.length !== size(variable.shape))
        throw new Error(`no values of size ${size(variable.shape)} for ${variable.name}`);
      return [variable, floats(variable.shape, values)] as const;
    };
    this.session.assign([
      [pixels, { dtype: DT.uint8, shape: [init.table.count, pixelsPerImage], data: init.table.pixels }],
      [labels, { dtype: DT.int32, shape: [init.table.count], data: init.table.labels }],
      ...this.parameterVariables.flatMap((vars, k) => vars.map((v, j) => row(init.parameters[j], v, k))),
      ...this.optimizers.flatMap((o, k) =>
        o.slots.map((s) => {
          const saved = savedSlots.get(s.name);
          if (init.slots && !saved) throw new Error(`no slot ${s.name}`);
          return row(saved, s, k);
        }),
      ),
    ]);
  }

  /**
   * One update of every trial (update number `iteration`, 1-based): trial k trains on the table rows
   * indices[k * batch, (k + 1) * batch), normalised as x * scale[k] - shift[k], at learning rate k. Returns each
   * trial's mean loss.
   */
  step(
    indices: Int32Array,
    normalisation: { scale: number[]; shift: number[] },
    iteration: number,
    learningRates: readonly number[],
  ): Float32Array {
    const [losses] = this.session.run(
      [
        [this.stepIndices, { dtype: DT.int32, shape: [indices.length], data: indices }],
        [this.stepScale, floats([this.trials], Float32Array.from(normalisation.scale))],
        [this.stepShift, floats([this.trials], Float32Array.from(normalisation.shift))],
        ...this.optimizers.flatMap((o, k) => o.feeds(iteration, learningRates[k]!)),
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
      const [loss, right, predicted] = this.session.run(
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
    // Trial k's variables: its parameters, then its optimizer's slots, each named as the single model names it.
    const perTrial = this.parameterVariables.map((vars, k) => [
      ...vars.map((v, j) => ({ name: this.parameterNames[j]!, variable: v })),
      ...this.optimizers[k]!.slots.map((s) => ({ name: s.name, variable: s })),
    ]);
    const values = this.session.run(
      [],
      perTrial.flat().map((v) => v.variable.peek),
    );
    const width = perTrial[0]!.length;
    const stacked = perTrial[0]!.map(({ name, variable }, i) => {
      const rowSize = size(variable.shape);
      const data = new Float32Array(this.trials * rowSize);
      for (let k = 0; k < this.trials; k++)
        data.set(values[k * width + i]!.data as Float32Array, k * rowSize);
      return { name, shape: [this.trials, ...variable.shape], values: data };
    });
    const parameterCount = this.parameterNames.length;
    return { parameters: stacked.slice(0, parameterCount), slots: stacked.slice(parameterCount) };
  }

  close(): void {
    this.session.close();
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
