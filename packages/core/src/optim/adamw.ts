import * as tf from "@tensorflow/tfjs-core";
import type { Parameter } from "../models/parameters.ts";
import { FUSED_ADAMW_KERNEL, hasFusedKernel, rateRows, runFusedUpdate } from "./fused.ts";
import type { Optimizer } from "./optimizer.ts";
import { createSlots, decays, gradientFor, restoreSlots } from "./slots.ts";
import type { AdamWSpec } from "./spec.ts";
import { perTrialByRank } from "./trial-rates.ts";

/**
 * AdamW (Loshchilov and Hutter), step for step as PyTorch's `torch.optim.AdamW`:
 *   p <- p * (1 - lr * wd)                       decoupled decay, skipped for bias-like parameters by default
 *   m <- b1 m + (1 - b1) g;   v <- b2 v + (1 - b2) g^2
 *   p <- p - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 */
export function createAdamW(parameters: Parameter[], spec: AdamWSpec): Optimizer {
  const firstMoments = createSlots(parameters, "m");
  const secondMoments = createSlots(parameters, "v");
  const constants = {
    beta1: tf.keep(tf.scalar(spec.beta1)),
    oneMinusBeta1: tf.keep(tf.scalar(1 - spec.beta1)),
    beta2: tf.keep(tf.scalar(spec.beta2)),
    oneMinusBeta2: tf.keep(tf.scalar(1 - spec.beta2)),
    epsilon: tf.keep(tf.scalar(spec.epsilon)),
  };
  const betas = { beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon };
  let iterations = 0;

  return {
    get iterations() {
      return iterations;
    },
    applyGradients(gradients, learningRate) {
      iterations += 1;
      const correction1 = 1 - spec.beta1 ** iterations;
      const inverseCorrection2 = 1 / Math.sqrt(1 - spec.beta2 ** iterations);
      // One rate per trial when parameters carry a leading trial dimension; the arithmetic is the same.
      const rates =
        typeof learningRate === "number"
          ? { lr: learningRate, wd: spec.weightDecay }
          : { lr: learningRate.learningRates, wd: learningRate.weightDecays };
      const map = (f: (lr: number, wd: number) => number) =>
        typeof rates.lr === "number"
          ? f(rates.lr, rates.wd as number)
          : rates.lr.map((lr, k) => f(lr, (rates.wd as readonly number[])[k]!));
      const decayValues = map((lr, wd) => 1 - lr * wd);
      const stepValues = map((lr) => -(lr / correction1));
      if (hasFusedKernel(FUSED_ADAMW_KERNEL)) {
        tf.tidy(() => {
          const rows = (v: number | number[]) => (typeof v === "number" ? [v] : v);
          const rates = rateRows(rows(stepValues), rows(decayValues));
          parameters.forEach((parameter, i) => {
            const [p, m, v] = runFusedUpdate(
              FUSED_ADAMW_KERNEL,
              {
                param: parameter.variable,
                grad: gradientFor(gradients, parameter),
                moment1: firstMoments[i]!,
                moment2: secondMoments[i]!,
                rates,
              },
              { ...betas, correction2: inverseCorrection2, decays: decays(spec, parameter) },
            );
            parameter.variable.assign(p!);
            firstMoments[i]!.assign(m!);
            secondMoments[i]!.assign(v!);
          });
        });
        return;
      }
      tf.tidy(() => {
        const decay = perTrialByRank(decayValues);
        const negativeStep = perTrialByRank(stepValues);
        const correction2 = tf.scalar(inverseCorrection2);
        parameters.forEach((parameter, i) => {
          const g = gradientFor(gradients, parameter);
          const m = firstMoments[i]!;
          const v = secondMoments[i]!;
          const rank = parameter.variable.rank;
          const newM = tf.add(tf.mul(m, constants.beta1), tf.mul(g, constants.oneMinusBeta1));
          const newV = tf.add(tf.mul(v, constants.beta2), tf.mul(tf.square(g), constants.oneMinusBeta2));
          const denominator = tf.add(tf.mul(tf.sqrt(newV), correction2), constants.epsilon);
          const p = decays(spec, parameter) ? tf.mul(parameter.variable, decay(rank)) : parameter.variable;
          parameter.variable.assign(tf.add(p, tf.mul(tf.div(newM, denominator), negativeStep(rank))));
          m.assign(newM);
          v.assign(newV);
        });
      });
    },
    slots() {
      return parameters.flatMap((p, i) => [
        { name: `${p.name}/m`, tensor: firstMoments[i]! as tf.Tensor },
        { name: `${p.name}/v`, tensor: secondMoments[i]! as tf.Tensor },
      ]);
    },
    restore(saved, savedIterations) {
      restoreSlots(
        parameters.flatMap((p, i) => [
          { name: `${p.name}/m`, variable: firstMoments[i]! },
          { name: `${p.name}/v`, variable: secondMoments[i]! },
        ]),
        saved,
      );
      iterations = savedIterations;
    },
    dispose() {
      tf.dispose([...firstMoments, ...secondMoments, ...Object.values(constants)]);
    },
  };
}
