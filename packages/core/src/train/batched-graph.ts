import { loadGraphAddon } from "../backend/graph/addon.ts";
import type { BatchedLayout } from "../backend/graph/batched-model-graph.ts";
import {
  BatchedGraphTrainer,
  type BatchedGraphTrainerInit,
  selectRows,
  trialRow,
} from "../backend/graph/batched-trainer.ts";
import type { NamedValues } from "../backend/graph/trainer.ts";
import { type BackendName, nativeIntraOpThreads } from "../backend/select.ts";
import type { RawDataset } from "../data/sources.ts";
import { CoreError } from "../errors.ts";
import { buildModel } from "../models/build.ts";
import type { SerializedTensor } from "../models/parameters.ts";
import { groupOptimizerSpec } from "./batched-eager.ts";
import {
  type BatchedEngine,
  evaluationIndices,
  type Metrics,
  rawBatchIndices,
  type Trial,
} from "./batched-engine.ts";
import type { RunConfig } from "./config.ts";
import { summariseTest } from "./evaluate.ts";
import type { TrainingCheckpoint } from "./events.ts";

/**
 * K single-model forward passes side by side on the CPU, where they measured faster than batched matmuls over the
 * trial axis; the batched matmuls on a GPU (one kernel per layer for all trials; not yet measured there).
 */
export function batchedLayout(backend: BackendName): BatchedLayout {
  return backend === "tensorflow-gpu" ? "stacked" : "per-trial";
}

const copy = (v: NamedValues): SerializedTensor => ({ name: v.name, shape: v.shape, values: v.values });

/** Stacks K models' values of one parameter ([K, ...shape]). */
function stack(name: string, shape: number[], rows: Float32Array[]): NamedValues {
  const values = new Float32Array(rows.length * rows[0]!.length);
  for (const [k, row] of rows.entries()) values.set(row, k * row.length);
  return { name, shape: [rows.length, ...shape], values };
}

/**
 * The group as one TensorFlow graph (backend/graph/batched-trainer.ts): one session call per step trains every
 * trial. The initial weights come from core's eager model builders, trial by trial, so a seed starts where it
 * would alone; the training images and the test images sit in the session as one table that every trial gathers
 * its batches and evaluation examples from. Ending trials rebuilds the graph for those left (their weights and
 * optimizer slots carried over).
 */
class GraphGroup implements BatchedEngine {
  readonly execution = "graph";
  readonly parameterCount: number;
  private trainer: BatchedGraphTrainer;
  private readonly base: Omit<
    BatchedGraphTrainerInit,
    "trials" | "parameters" | "slots" | "weightDecays" | "table"
  >;
  private readonly biasLike: Map<string, boolean>;
  private iterations = 0;

  constructor(
    private readonly raw: RawDataset,
    private readonly leader: RunConfig,
    private readonly trials: Trial[],
    backend: BackendName,
  ) {
    const { addon, problem } = loadGraphAddon();
    if (!addon) throw new CoreError("BACKEND_UNAVAILABLE", `graph execution: ${problem}`);
    const { rows, columns } = raw.train;
    const shape = { rows, columns, classes: trials[0]!.plan.classes };
    this.base = {
      model: leader.model,
      optimizer: groupOptimizerSpec(leader, trials),
      shape,
      // No XLA, unlike a single run's MLP (graph-engine.ts): it made a group's step 2-3x slower (BENCHMARKS.md).
      layout: batchedLayout(backend),
      trialAfterTrial: nativeIntraOpThreads() <= 1,
    };
    const models = trials.map((t) => buildModel(t.config.model, { ...shape, seed: t.config.seed }));
    try {
      const first = models[0]!;
      this.parameterCount = first.parameters.reduce((n, p) => n + p.variable.size, 0);
      this.biasLike = new Map(first.parameters.map((p) => [p.name, p.isBiasLike]));
      const parameters = first.parameters.map((p, j) => ({
        ...stack(
          p.name,
          p.variable.shape.slice(),
          models.map((m) => m.parameters[j]!.variable.dataSync() as Float32Array),
        ),
        isBiasLike: p.isBiasLike,
      }));
      this.trainer = new BatchedGraphTrainer(addon, {
        ...this.base,
        table: this.table(),
        trials: trials.length,
        parameters,
        weightDecays: trials.map((t) => t.config.optimizer.weightDecay),
      });
    } finally {
      for (const m of models) m.dispose();
    }
  }

  /** The training images then the test images, made for each session and dropped once it holds them. */
  private table(): BatchedGraphTrainerInit["table"] {
    const { train, test } = this.raw;
    const size = train.rows * train.columns;
    const pixels = new Uint8Array((train.count + test.count) * size);
    pixels.set(train.pixels.subarray(0, train.count * size));
    pixels.set(test.pixels.subarray(0, test.count * size), train.count * size);
    const labels = new Int32Array(train.count + test.count);
    labels.set(train.labels.subarray(0, train.count));
    labels.set(test.labels.subarray(0, test.count), train.count);
    return { pixels, labels, count: train.count + test.count };
  }

  private get active(): Trial[] {
    return this.trials.filter((t) => t.slot >= 0).sort((a, b) => a.slot - b.slot);
  }

  /** Normalisation per stack row: trials that ended keep their row (and its numbers) until compact(). */
  private normalisation(rows: (Trial | undefined)[]) {
    return {
      scale: rows.map((t) => (t ? 1 / (255 * t.plan.std) : 0)),
      shift: rows.map((t) => (t ? t.plan.mean / t.plan.std : 0)),
    };
  }

  /** The active trials by stack row. */
  private rows(): (Trial | undefined)[] {
    const rows = new Array<Trial | undefined>(this.trainer.trials).fill(undefined);
    for (const t of this.active) rows[t.slot] = t;
    return rows;
  }

  step(step: number, learningRates: number[]) {
    const active = this.active;
    if (active.length !== this.trainer.trials) throw new Error("step before compact()");
    const { batchSize } = this.leader;
    const indices = new Int32Array(active.length * batchSize);
    for (const [k, t] of active.entries()) indices.set(rawBatchIndices(t, step), k * batchSize);
    this.iterations += 1;
    const losses = this.trainer.step(indices, this.normalisation(active), this.iterations, learningRates);
    return { read: async () => losses, dispose() {} };
  }

  /** Every stack row on its own examples (rows of trials not asked for repeat the first asked one's). */
  private evaluateRows(trials: Trial[], indicesOf: (t: Trial) => Int32Array, withPredictions = false) {
    const rows = this.rows();
    const fallback = indicesOf(trials[0]!);
    const totals = this.trainer.evaluate(
      rows.map((t) => (t && trials.includes(t) ? indicesOf(t) : fallback)),
      this.normalisation(rows),
      withPredictions,
    );
    return trials.map((t) => {
      const count = indicesOf(t).length;
      const metrics: Metrics =
        count === 0
          ? { loss: Number.NaN, accuracy: Number.NaN }
          : { loss: totals.lossSums[t.slot]! / count, accuracy: totals.correct[t.slot]! / count };
      return { metrics, predictions: totals.predictions?.[t.slot] };
    });
  }

  async evaluate(trials: Trial[], includeValidation: boolean) {
    if (trials.length === 0) return [];
    const train = this.evaluateRows(trials, (t) => evaluationIndices(t, "train"));
    const validation = includeValidation
      ? this.evaluateRows(trials, (t) => evaluationIndices(t, "validation"))
      : undefined;
    return trials.map((_, i) => ({
      train: train[i]!.metrics,
      validation: validation ? validation[i]!.metrics : undefined,
    }));
  }

  async checkpoint(trials: Trial[], step: number): Promise<TrainingCheckpoint[]> {
    const { parameters, slots } = this.trainer.read();
    return trials.map((t) => ({
      step,
      parameters: parameters.map((p) => copy(trialRow(p, t.slot))),
      buffers: [],
      optimizerSlots: slots.map((s) => copy(trialRow(s, t.slot))),
      optimizerIterations: this.iterations,
    }));
  }

  async finish(trials: Trial[]) {
    if (trials.length === 0) return [];
    const { count } = this.raw.train;
    const test = Int32Array.from({ length: this.raw.test.count }, (_, i) => count + i);
    const evaluated = this.evaluateRows(trials, () => test, true);
    const { parameters } = this.trainer.read();
    return trials.map((t, i) => ({
      evaluation: summariseTest(
        evaluated[i]!.metrics.loss,
        evaluated[i]!.predictions!,
        this.raw.test.labels,
        t.plan.classes,
      ),
      weights: parameters.map((p) => copy(trialRow(p, t.slot))),
    }));
  }

  async compact(): Promise<void> {
    const active = this.active;
    if (active.length === this.trainer.trials || active.length === 0) return;
    const keep = active.map((t) => t.slot);
    const { parameters, slots } = this.trainer.read();
    const { addon } = loadGraphAddon();
    const next = new BatchedGraphTrainer(addon!, {
      ...this.base,
      table: this.table(),
      trials: keep.length,
      weightDecays: active.map((t) => t.config.optimizer.weightDecay),
      parameters: parameters.map((p) => ({ ...selectRows(p, keep), isBiasLike: this.biasLike.get(p.name)! })),
      slots: slots.map((s) => selectRows(s, keep)),
    });
    this.trainer.close();
    this.trainer = next;
    active.forEach((t, k) => {
      t.slot = k;
    });
  }

  dispose(): void {
    this.trainer.close();
  }
}

/** The group as one TensorFlow graph per step (native backends only; the caller has chosen the graph path). */
export function createGraphGroup(
  raw: RawDataset,
  leader: RunConfig,
  trials: Trial[],
  backend: BackendName,
): BatchedEngine {
  return new GraphGroup(raw, leader, trials, backend);
}
