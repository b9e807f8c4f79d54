import type { OptimizerSpec } from "../../optim/spec.ts";
import { DT, type GraphTensor, type HostTensor } from "./addon.ts";
import type { GraphBuilder, GraphVariable } from "./builder.ts";

/** A trainable variable of the graph, its gradient, and whether weight decay touches it. */
export interface TrainableGraphVariable {
  name: string;
  variable: GraphVariable;
  gradient: GraphTensor;
  decays: boolean;
}

export interface OptimizerGraph {
  /** Moments or momentum buffers, named as the eager optimizers name them (`<param>/m`, `/v`, `/momentum`). */
  slots: GraphVariable[];
  /** Operations that apply one update; run them as targets of the step. */
  updates: string[];
  /** This step's scalars: the scheduled learning rate, and the bias corrections of update `iteration` (1-based). */
  feeds(iteration: number, learningRate: number): [GraphTensor, HostTensor][];
}

const scalar = (value: number): HostTensor => ({ dtype: DT.float, shape: [], data: Float32Array.of(value) });

/**
 * The eager optimizers (optim/adamw.ts, optim/sgd.ts) as graph operations on TensorFlow's fused update kernels.
 *
 * AdamW: PyTorch's update p -= (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps), with c_i = 1 - beta_i^t, equals
 * ResourceApplyAdam's p -= lr * sqrt(c2) / c1 * m / (sqrt(v) + eps_hat) when eps_hat = eps * sqrt(c2): fed per
 * step. The decoupled decay p *= 1 - lr * wd runs first, as in PyTorch.
 * SGD: ResourceApplyMomentum (accum = mu * accum + g; p -= lr * accum, or the Nesterov form) on g + wd * p.
 */
export function buildOptimizer(
  g: GraphBuilder,
  spec: OptimizerSpec,
  trainables: TrainableGraphVariable[],
): OptimizerGraph {
  const learningRate = g.placeholder("learning_rate", DT.float, []);
  const slot = (t: TrainableGraphVariable, suffix: string) =>
    g.variable(`${t.name}/${suffix}`, DT.float, t.variable.shape);
  if (spec.kind === "adamw") {
    const beta1Power = g.placeholder("beta1_power", DT.float, []);
    const beta2Power = g.placeholder("beta2_power", DT.float, []);
    const epsilonHat = g.placeholder("epsilon_hat", DT.float, []);
    const decay = g.placeholder("decay", DT.float, []);
    const beta1 = g.scalar(spec.beta1);
    const beta2 = g.scalar(spec.beta2);
    const slots: GraphVariable[] = [];
    const updates = trainables.map((t) => {
      const m = slot(t, "m");
      const v = slot(t, "v");
      slots.push(m, v);
      const decayed = t.decays ? [g.assign(t.variable, g.binary("Mul", t.variable.read, decay))] : [];
      return g.op(
        "ResourceApplyAdam",
        `${t.name}/adam`,
        [
          t.variable.handle,
          m.handle,
          v.handle,
          beta1Power,
          beta2Power,
          learningRate,
          beta1,
          beta2,
          epsilonHat,
          t.gradient,
        ],
        [],
        decayed,
      );
    });
    return {
      slots,
      updates,
      feeds(iteration, lr) {
        const beta2Pow = spec.beta2 ** iteration;
        return [
          [learningRate, scalar(lr)],
          [beta1Power, scalar(spec.beta1 ** iteration)],
          [beta2Power, scalar(beta2Pow)],
          [epsilonHat, scalar(spec.epsilon * Math.sqrt(1 - beta2Pow))],
          [decay, scalar(1 - lr * spec.weightDecay)],
        ];
      },
    };
  }
  const momentum = g.scalar(spec.momentum);
  const weightDecay = g.scalar(spec.weightDecay);
  const slots: GraphVariable[] = [];
  const updates = trainables.map((t) => {
    const buffer = slot(t, "momentum");
    slots.push(buffer);
    const gradient = t.decays
      ? g.binary("AddV2", t.gradient, g.binary("Mul", t.variable.read, weightDecay))
      : t.gradient;
    return g.op(
      "ResourceApplyMomentum",
      `${t.name}/momentum_update`,
      [t.variable.handle, buffer.handle, learningRate, gradient, momentum],
      [["use_nesterov", "bool", spec.nesterov]],
    );
  });
  return { slots, updates, feeds: (_iteration, lr) => [[learningRate, scalar(lr)]] };
}
