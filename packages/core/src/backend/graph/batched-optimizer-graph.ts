import type { OptimizerSpec } from "../../optim/spec.ts";
import { DT, type GraphTensor, type HostTensor } from "./addon.ts";
import type { GraphBuilder, GraphVariable } from "./builder.ts";
import type { TrainableGraphVariable } from "./optimizer-graph.ts";

export interface BatchedOptimizerGraph {
  /** Moments or momentum buffers [K, ...], named as the eager optimizers name them (`<param>/m`, `/v`, `/momentum`). */
  slots: GraphVariable[];
  /** Operations that apply one update to every trial; run them as targets of the step. */
  updates: string[];
  /** This step's values: trial k's learning rate and weight decay, and the bias corrections of update `iteration`. */
  feeds(
    iteration: number,
    learningRates: readonly number[],
    weightDecays: readonly number[],
  ): [GraphTensor, HostTensor][];
}

const vector = (values: number[]): HostTensor => ({
  dtype: DT.float,
  shape: [values.length],
  data: Float32Array.from(values),
});
const scalar = (value: number): HostTensor => ({ dtype: DT.float, shape: [], data: Float32Array.of(value) });

/**
 * The eager optimizers' per-trial update (optim/adamw.ts, optim/sgd.ts with TrialRates) as graph operations on
 * stacked variables [K, ...]: TensorFlow's fused update kernels take one scalar learning rate, so the update is
 * written out elementwise, with trial k's rate and decay broadcast over its row, in the eager path's arithmetic.
 * Decay touches a parameter wherever `spec.weightDecay` (the group's largest) is above zero; a trial without decay
 * multiplies by one.
 *   AdamW: p <- p * (1 - lr_k wd_k) - (lr_k / c1) * m / (sqrt(v) / sqrt(c2) + eps), after the moment updates.
 *   SGD:   g <- g + wd_k p;  b <- mu b + g;  d <- nesterov ? g + mu b : b;  p <- p - lr_k d.
 */
export function buildBatchedOptimizer(
  g: GraphBuilder,
  spec: OptimizerSpec,
  trials: number,
  trainables: TrainableGraphVariable[],
): BatchedOptimizerGraph {
  const perTrial = (name: string) => g.placeholder(name, DT.float, [trials]);
  // [K] -> [K, 1, ..., 1] for a variable of this rank, made once per rank.
  const byRank = (values: GraphTensor) => {
    const cache = new Map<number, GraphTensor>();
    return (rank: number) => {
      let shaped = cache.get(rank);
      if (!shaped) {
        shaped = g.reshape(values, [trials, ...new Array<number>(rank - 1).fill(1)]);
        cache.set(rank, shaped);
      }
      return shaped;
    };
  };
  const slot = (t: TrainableGraphVariable, suffix: string) =>
    g.variable(`${t.name}/${suffix}`, DT.float, t.variable.shape);
  const add = (a: GraphTensor, b: GraphTensor) => g.binary("AddV2", a, b);
  const mul = (a: GraphTensor, b: GraphTensor) => g.binary("Mul", a, b);

  if (spec.kind === "adamw") {
    const decay = perTrial("decay");
    const negativeStep = perTrial("negative_step");
    const correction2 = g.placeholder("inverse_correction2", DT.float, []);
    const decayOf = byRank(decay);
    const stepOf = byRank(negativeStep);
    const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon] = [
      spec.beta1,
      1 - spec.beta1,
      spec.beta2,
      1 - spec.beta2,
      spec.epsilon,
    ].map((v) => g.scalar(v));
    const slots: GraphVariable[] = [];
    const updates = trainables.flatMap((t) => {
      const m = slot(t, "m");
      const v = slot(t, "v");
      slots.push(m, v);
      const rank = t.variable.shape.length;
      const newM = add(mul(m.read, beta1!), mul(t.gradient, oneMinusBeta1!));
      const newV = add(mul(v.read, beta2!), mul(g.unary("Square", t.gradient), oneMinusBeta2!));
      const denominator = add(mul(g.unary("Sqrt", newV), correction2), epsilon!);
      const p = t.decays ? mul(t.variable.read, decayOf(rank)) : t.variable.read;
      const updated = add(p, mul(g.binary("RealDiv", newM, denominator), stepOf(rank)));
      return [g.assign(t.variable, updated), g.assign(m, newM), g.assign(v, newV)];
    });
    return {
      slots,
      updates,
      feeds(iteration, learningRates, weightDecays) {
        const correction1 = 1 - spec.beta1 ** iteration;
        return [
          [decay, vector(learningRates.map((lr, k) => 1 - lr * weightDecays[k]!))],
          [negativeStep, vector(learningRates.map((lr) => -(lr / correction1)))],
          [correction2, scalar(1 / Math.sqrt(1 - spec.beta2 ** iteration))],
        ];
      },
    };
  }
  const negativeRate = perTrial("negative_learning_rate");
  const weightDecay = perTrial("weight_decay");
  const rateOf = byRank(negativeRate);
  const decayOf = byRank(weightDecay);
  const momentum = g.scalar(spec.momentum);
  const slots: GraphVariable[] = [];
  const updates = trainables.flatMap((t) => {
    const buffer = slot(t, "momentum");
    slots.push(buffer);
    const rank = t.variable.shape.length;
    const gradient = t.decays ? add(t.gradient, mul(t.variable.read, decayOf(rank))) : t.gradient;
    const newBuffer = spec.momentum > 0 ? add(mul(buffer.read, momentum), gradient) : gradient;
    const direction = spec.nesterov ? add(gradient, mul(newBuffer, momentum)) : newBuffer;
    const assignParameter = g.assign(t.variable, add(t.variable.read, mul(direction, rateOf(rank))));
    return spec.momentum > 0 ? [assignParameter, g.assign(buffer, newBuffer)] : [assignParameter];
  });
  return {
    slots,
    updates,
    feeds: (_iteration, learningRates, weightDecays) => [
      [negativeRate, vector(learningRates.map((lr) => -lr))],
      [weightDecay, vector([...weightDecays])],
    ],
  };
}
