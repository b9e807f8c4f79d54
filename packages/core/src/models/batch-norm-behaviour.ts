import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { type BackendName, prepareBackend } from "../backend/select.ts";
import { applyBatchNorm, createBatchNorm } from "./batch-norm.ts";

function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** The batch-norm checks, run once per backend (a process holds one backend): see batch-norm.*.test.ts. */
export function describeBatchNormOn(backend: BackendName) {
  describe(`batch norm in training on ${backend}`, () => {
    it("matches differentiating tf.moments and tf.batchNorm4d, value and gradients", async () => {
      await prepareBackend({ backend });
      const bn = createBatchNorm("bn", 5);
      bn.scale.variable.assign(tf.tensor1d([0.5, 1, 1.5, 2, -1]));
      bn.offset.variable.assign(tf.tensor1d([0.1, -0.2, 0.3, 0, 1]));
      const x = tf.add(tf.mul(tf.randomNormal([4, 6, 6, 5], 0, 1, "float32", 7), 3), 2) as tf.Tensor4D;
      const weights = tf.randomNormal([4, 6, 6, 5], 0, 1, "float32", 8);
      const scale = bn.scale.variable as tf.Tensor1D;
      const offset = bn.offset.variable as tf.Tensor1D;

      const reference = (input: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => {
        const { mean, variance } = tf.moments(input, [0, 1, 2]);
        return tf.batchNorm4d(input, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, 1e-5);
      };
      const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, weights)) as tf.Scalar;
      const expected = tf.grads((a, b, c) =>
        loss(reference(a as tf.Tensor4D, b as tf.Tensor1D, c as tf.Tensor1D)),
      );
      const actual = tf.grads((a) => loss(applyBatchNorm(a as tf.Tensor4D, bn, true)));
      const [dxExpected, dScaleExpected, dOffsetExpected] = expected([x, scale, offset]);
      const [dxActual] = actual([x]);
      const { grads } = tf.variableGrads(
        () => loss(applyBatchNorm(x, bn, true)),
        [bn.scale.variable, bn.offset.variable],
      );

      expect(maxAbsDifference(applyBatchNorm(x, bn, true), reference(x, scale, offset))).toBeLessThan(1e-5);
      expect(maxAbsDifference(dxActual!, dxExpected!)).toBeLessThan(1e-4);
      expect(maxAbsDifference(grads[bn.scale.variable.name]!, dScaleExpected!)).toBeLessThan(1e-3);
      expect(maxAbsDifference(grads[bn.offset.variable.name]!, dOffsetExpected!)).toBeLessThan(1e-3);
      expect(tf.max(tf.abs(dxExpected!)).dataSync()[0]).toBeGreaterThan(0.01);
    });

    it("moves the running statistics 10 % toward the batch mean and unbiased variance", async () => {
      await prepareBackend({ backend });
      const bn = createBatchNorm("bn", 2);
      const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [2, 2, 1, 2]);
      tf.tidy(() => applyBatchNorm(x, bn, true));
      // channel 0: 1, 3, 5, 7 -> mean 4, unbiased variance 20/3; channel 1: 10..40 -> mean 25, variance 500/3.
      const mean = Array.from(bn.runningMean.dataSync());
      const variance = Array.from(bn.runningVariance.dataSync());
      expect(mean[0]).toBeCloseTo(0.4, 5);
      expect(mean[1]).toBeCloseTo(2.5, 5);
      expect(variance[0]).toBeCloseTo(0.9 + 0.1 * (20 / 3), 4);
      expect(variance[1]).toBeCloseTo(0.9 + 0.1 * (500 / 3), 3);
    });
  });
}
