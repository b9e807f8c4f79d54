import * as tf from "@tensorflow/tfjs-core";
import type { Parameter } from "../models/parameters.ts";
import { FUSED_SGD_KERNEL, hasFusedKernel, rateRows, runFusedUpdate } from "./fused.ts";
import type { Optimizer } from "./optimizer.ts";
import { createSlots, decays, gradientFor, restoreSlots } from "./slots.ts";
import type { SgdSpec } from "./spec.ts";
import { perTrialByRank } from "./trial-rates.ts";

/**
 * SGD with momentum, as PyTorch's `torch.optim.SGD` (dampening 0):
 *   g <- g + wd * p;   b <- mu * b + g;   d <- nesterov ? g + mu * b : b;   p <- p - lr * d
 */
export function createSgd(parameters: Parameter[], spec: SgdSpec): Optimizer {
  const buffers = createSlots(parameters, "momentum");
  const momentum = tf.keep(tf.scalar(spec.momentum));
  const weightDecay = tf.keep(tf.scalar(spec.weightDecay));
  let iterations = 0;

  return {
    get iterations() {
      return iterations;
    },
    applyGradients(gradients, learningRate) {
      iterations += 1;
      if (hasFusedKernel(FUSED_SGD_KERNEL)) {
        tf.tidy(() => {
          const rates =
            typeof learningRate === "number"
              ? rateRows([-learningRate], [spec.weightDecay])
              : rateRows(
                  learningRate.learningRates.map((lr) => -lr),
                  learningRate.weightDecays,
                );
          parameters.forEach((parameter, i) => {
            const [p, b] = runFusedUpdate(
              FUSED_SGD_KERNEL,
              {
                param: parameter.variable,
                grad: gradientFor(gradients, parameter),
                momentumBuffer: buffers[i]!,
                rates,
              },
              { momentum: spec.momentum, nesterov: spec.nesterov, decays: decays(spec, parameter) },
            );
            parameter.variable.assign(p!);
            buffers[i]!.assign(b!);
          });
        });
        return;
      }
      tf.tidy(() => {
        // One rate and decay per trial when parameters carry a leading trial dimension.
        const negativeLearningRate = perTrialByRank(
          typeof learningRate === "number" ? -learningRate : learningRate.learningRates.map((lr) => -lr),
        );
        const decay =
          typeof learningRate === "number" ? () => weightDecay : perTrialByRank(learningRate.weightDecays);
        parameters.forEach((parameter, i) => {
          const rank = parameter.variable.rank;
          let g = gradientFor(gradients, parameter);
          if (decays(spec, parameter)) {
            g = tf.add(g, tf.mul(parameter.variable, decay(rank)));
          }
          const buffer = buffers[i]!;
          const newBuffer = spec.momentum > 0 ? tf.add(tf.mul(buffer, momentum), g) : g;
          const direction = spec.nesterov ? tf.add(g, tf.mul(newBuffer, momentum)) : newBuffer;
          parameter.variable.assign(
            tf.add(parameter.variable, tf.mul(direction, negativeLearningRate(rank))),
          );
          if (spec.momentum > 0) buffer.assign(newBuffer);
        });
      });
    },
    slots() {
      return parameters.map((p, i) => ({ name: `${p.name}/momentum`, tensor: buffers[i]! as tf.Tensor }));
    },
    restore(saved, savedIterations) {
      restoreSlots(
        parameters.map((p, i) => ({ name: `${p.name}/momentum`, variable: buffers[i]! })),
        saved,
      );
      iterations = savedIterations;
    },
    dispose() {
      tf.dispose([...buffers, momentum, weightDecay]);
    },
  };
}
