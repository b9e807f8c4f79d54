import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareBackend } from "./select.ts";

function maxAbsDifference(a: tf.Tensor, b: ArrayLike<number>) {
  const values = a.dataSync();
  return Math.max(...Array.from(values, (v, i) => Math.abs(v - b[i]!)));
}

/** dW by the definition, in float64: sum over b, i, j of x[b, i+kh, j+kw, ci] * dy[b, i, j, co] (valid, stride 1). */
function filterGradientByLoop(x: tf.Tensor4D, dy: tf.Tensor4D, fh: number, fw: number): number[] {
  const X = x.arraySync();
  const D = dy.arraySync();
  const [batch, oh, ow, cout] = dy.shape;
  const cin = x.shape[3];
  const out: number[] = [];
  for (let kh = 0; kh < fh; kh++)
    for (let kw = 0; kw < fw; kw++)
      for (let ci = 0; ci < cin; ci++)
        for (let co = 0; co < cout; co++) {
          let s = 0;
          for (let b = 0; b < batch; b++)
            for (let i = 0; i < oh; i++)
              for (let j = 0; j < ow; j++) s += X[b]![i + kh]![j + kw]![ci]! * D[b]![i]![j]![co]!;
          out.push(s);
        }
  return out;
}

beforeAll(async () => {
  await prepareBackend({ backend: "wasm" });
});

describe("wasm kernels added by core", () => {
  it("computes Conv2DBackpropFilter, which stock wasm lacks, as the definition does", () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, "float32", 1) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 4, 4, 5], 0, 1, "float32", 2) as tf.Tensor4D;
    const dw = tf
      .engine()
      .runKernel(
        "Conv2DBackpropFilter",
        { x, dy },
        { strides: 1, pad: "valid", dataFormat: "NHWC", filterShape: [3, 3, 3, 5] },
      ) as tf.Tensor;
    expect(dw.shape).toEqual([3, 3, 3, 5]);
    expect(maxAbsDifference(dw, filterGradientByLoop(x, dy, 3, 3))).toBeLessThan(1e-4);
  });

  it("gives the same input gradient as the gradient of a sum, for valid and same padding", () => {
    for (const pad of ["valid", "same"] as const) {
      const x = tf.randomNormal([2, 7, 7, 3], 0, 1, "float32", 3) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 3, 4], 0, 1, "float32", 4) as tf.Tensor4D;
      // d/dx sum(conv(x, w)) at pixel p = sum of the filter taps that touch p: check against a numerical value.
      const gradient = tf.grad((input: tf.Tensor) => tf.sum(tf.conv2d(input as tf.Tensor4D, w, 1, pad)))(x);
      const eps = 1e-2;
      const index = [1, 3, 2, 1];
      const bump = tf.buffer(x.shape, "float32", x.dataSync().slice() as Float32Array);
      bump.set(bump.get(...index) + eps, ...index);
      const numerical =
        (tf.sum(tf.conv2d(bump.toTensor() as tf.Tensor4D, w, 1, pad)).dataSync()[0]! -
          tf.sum(tf.conv2d(x, w, 1, pad)).dataSync()[0]!) /
        eps;
      expect(gradient.bufferSync().get(...index)).toBeCloseTo(numerical, 1);
    }
  });

  it("multiplies transposed operands exactly as plain ones", () => {
    const a = tf.randomNormal([5, 7], 0, 1, "float32", 5);
    const b = tf.randomNormal([5, 3], 0, 1, "float32", 6);
    const viaTranspose = tf.matMul(a, b, true, false);
    const explicit = tf.matMul(tf.transpose(a), b);
    expect(maxAbsDifference(viaTranspose, explicit.dataSync())).toBeLessThan(1e-6);
    const c = tf.randomNormal([4, 7], 0, 1, "float32", 7);
    expect(
      maxAbsDifference(tf.matMul(a, c, false, true), tf.matMul(a, tf.transpose(c)).dataSync()),
    ).toBeLessThan(1e-6);
  });
});
