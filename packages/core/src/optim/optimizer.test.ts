import * as tf from "@tensorflow/tfjs-core";
// The union package registers its pure-JS "cpu" backend: enough for exact optimizer arithmetic.
import "../backend/register-gradients.ts";
import { beforeAll, describe, expect, it } from "vitest";
import type { Parameter } from "../models/parameters.ts";
import { createAdamW } from "./adamw.ts";
import { createSgd } from "./sgd.ts";
import { AdamWSpecSchema, SgdSpecSchema } from "./spec.ts";

// Gradients for five steps of a 3-element weight and a 2-element bias.
const GRADIENTS = [
  { w: [0.5, -1.2, 0.03], b: [0.1, -0.4] },
  { w: [0.4, -0.9, -0.2], b: [0.2, -0.1] },
  { w: [-0.3, 0.7, 0.5], b: [-0.3, 0.05] },
  { w: [0.25, -0.6, 0.0], b: [0.0, 0.3] },
  { w: [1.5, 0.2, -0.8], b: [0.6, -0.2] },
];
const W0 = [0.3, -0.7, 1.1];
const B0 = [0.05, -0.2];
const RATES = [1e-2, 8e-3, 5e-3, 2e-3, 1e-3];

function parameters(): Parameter[] {
  return [
    { name: "w", variable: tf.variable(tf.tensor1d(W0), true, `w${Math.random()}`), isBiasLike: false },
    { name: "b", variable: tf.variable(tf.tensor1d(B0), true, `b${Math.random()}`), isBiasLike: true },
  ];
}

function run(ps: Parameter[], optimizer: { applyGradients(g: tf.NamedTensorMap, lr: number): void }) {
  GRADIENTS.forEach((g, step) => {
    const grads = { [ps[0]!.variable.name]: tf.tensor1d(g.w), [ps[1]!.variable.name]: tf.tensor1d(g.b) };
    optimizer.applyGradients(grads, RATES[step]!);
    tf.dispose(Object.values(grads));
  });
  return ps.map((p) => Array.from(p.variable.dataSync()));
}

/** AdamW as published (and as torch.optim.AdamW computes it), in float64. */
function adamwReference(p0: number[], grads: number[][], decay: number, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, i) => {
    const t = i + 1;
    const lr = RATES[i]!;
    for (let k = 0; k < p.length; k++) {
      p[k]! *= 1 - lr * decay;
      m[k] = b1 * m[k]! + (1 - b1) * g[k]!;
      v[k] = b2 * v[k]! + (1 - b2) * g[k]! ** 2;
      const denominator = Math.sqrt(v[k]!) / Math.sqrt(1 - b2 ** t) + eps;
      p[k]! -= (lr / (1 - b1 ** t)) * (m[k]! / denominator);
    }
  });
  return p;
}

/** SGD with momentum (dampening 0) as torch.optim.SGD, in float64. */
function sgdReference(p0: number[], grads: number[][], momentum: number, decay: number, nesterov: boolean) {
  const p = [...p0];
  const buffer = p.map(() => 0);
  grads.forEach((g0, i) => {
    for (let k = 0; k < p.length; k++) {
      const g = g0[k]! + decay * p[k]!;
      buffer[k] = momentum * buffer[k]! + g;
      p[k]! -= RATES[i]! * (nesterov ? g + momentum * buffer[k]! : buffer[k]!);
    }
  });
  return p;
}

function expectClose(actual: number[], expected: number[]) {
  for (const [i, a] of actual.entries()) expect(Math.abs(a - expected[i]!)).toBeLessThan(1e-6);
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("AdamW", () => {
  it("matches the published update over five steps, decaying weights but not biases", () => {
    const ps = parameters();
    const [w, b] = run(ps, createAdamW(ps, AdamWSpecSchema.parse({ kind: "adamw", weightDecay: 0.1 })));
    expectClose(
      w!,
      adamwReference(
        W0,
        GRADIENTS.map((g) => g.w),
        0.1,
      ),
    );
    expectClose(
      b!,
      adamwReference(
        B0,
        GRADIENTS.map((g) => g.b),
        0,
      ),
    );
    // Decay really is applied to the weights: without it they would differ.
    expect(
      Math.abs(
        w![2]! -
          adamwReference(
            W0,
            GRADIENTS.map((g) => g.w),
            0,
          )[2]!,
      ),
    ).toBeGreaterThan(1e-5);
  });

  it("decays biases too when asked", () => {
    const ps = parameters();
    const [, b] = run(
      ps,
      createAdamW(ps, AdamWSpecSchema.parse({ kind: "adamw", weightDecay: 0.3, decayBiases: true })),
    );
    expectClose(
      b!,
      adamwReference(
        B0,
        GRADIENTS.map((g) => g.b),
        0.3,
      ),
    );
  });
});

describe("SGD with momentum", () => {
  it("matches PyTorch's rule with momentum and weight decay", () => {
    const ps = parameters();
    const [w, b] = run(
      ps,
      createSgd(ps, SgdSpecSchema.parse({ kind: "sgd", momentum: 0.9, weightDecay: 0.01 })),
    );
    expectClose(
      w!,
      sgdReference(
        W0,
        GRADIENTS.map((g) => g.w),
        0.9,
        0.01,
        false,
      ),
    );
    expectClose(
      b!,
      sgdReference(
        B0,
        GRADIENTS.map((g) => g.b),
        0.9,
        0,
        false,
      ),
    );
  });

  it("matches the Nesterov variant", () => {
    const ps = parameters();
    const [w] = run(ps, createSgd(ps, SgdSpecSchema.parse({ kind: "sgd", momentum: 0.8, nesterov: true })));
    expectClose(
      w!,
      sgdReference(
        W0,
        GRADIENTS.map((g) => g.w),
        0.8,
        0,
        true,
      ),
    );
  });
});

describe("per-trial rates (a batched group)", () => {
  it("updates each trial of a stacked parameter as if it were alone, with its own weight decay", () => {
    const stacked: Parameter[] = [
      {
        name: "w",
        variable: tf.variable(tf.tensor2d([W0, W0]), true, `ws${Math.random()}`),
        isBiasLike: false,
      },
    ];
    const adamw = createAdamW(stacked, AdamWSpecSchema.parse({ kind: "adamw", weightDecay: 0.1 }));
    GRADIENTS.forEach((g, step) => {
      const grads = { [stacked[0]!.variable.name]: tf.tensor2d([g.w, g.w]) };
      adamw.applyGradients(grads, { learningRates: [RATES[step]!, RATES[step]!], weightDecays: [0.1, 0] });
      tf.dispose(Object.values(grads));
    });
    const [decayed, plain] = stacked[0]!.variable.arraySync() as number[][];
    const ws = GRADIENTS.map((g) => g.w);
    expectClose(decayed!, adamwReference(W0, ws, 0.1));
    expectClose(plain!, adamwReference(W0, ws, 0));
  });

  it("does the same for SGD with momentum", () => {
    const stacked: Parameter[] = [
      {
        name: "w",
        variable: tf.variable(tf.tensor2d([W0, W0]), true, `ws${Math.random()}`),
        isBiasLike: false,
      },
    ];
    const sgd = createSgd(stacked, SgdSpecSchema.parse({ kind: "sgd", momentum: 0.9, weightDecay: 0.01 }));
    GRADIENTS.forEach((g, step) => {
      const grads = { [stacked[0]!.variable.name]: tf.tensor2d([g.w, g.w]) };
      sgd.applyGradients(grads, { learningRates: [RATES[step]!, RATES[step]!], weightDecays: [0.01, 0] });
      tf.dispose(Object.values(grads));
    });
    const [decayed, plain] = stacked[0]!.variable.arraySync() as number[][];
    const ws = GRADIENTS.map((g) => g.w);
    expectClose(decayed!, sgdReference(W0, ws, 0.9, 0.01, false));
    expectClose(plain!, sgdReference(W0, ws, 0.9, 0, false));
  });
});
