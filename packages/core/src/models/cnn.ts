import * as tf from "@tensorflow/tfjs-core";
import { activate } from "./activations.ts";
import { applyBatchNorm, createBatchNorm } from "./batch-norm.ts";
import type { Model } from "./model.ts";
import { createLayerParameters } from "./parameters.ts";
import type { CnnSpec } from "./spec.ts";

/**
 * The reference CNN: conv3x3 -> conv3x3 -> maxpool 2 -> dense -> dense to the classes (valid padding, NHWC),
 * with optional batch norm after each convolution, dropout after pooling (`dropout`) and after the hidden dense
 * layer (`denseDropout`, default `dropout`).
 */
export function buildCnn(
  spec: CnnSpec,
  shape: { rows: number; columns: number; classes: number; seed: number },
): Model {
  const [c1, c2] = spec.channels;
  const conv1 = createLayerParameters("conv1", [3, 3, 1, c1], 9, shape.seed * 100);
  const conv2 = createLayerParameters("conv2", [3, 3, c1, c2], 9 * c1, shape.seed * 100 + 2);
  const pooledRows = Math.floor((shape.rows - 4) / 2);
  const pooledColumns = Math.floor((shape.columns - 4) / 2);
  const flat = pooledRows * pooledColumns * c2;
  const dense1 = createLayerParameters("dense1", [flat, spec.denseWidth], flat, shape.seed * 100 + 4);
  const dense2 = createLayerParameters(
    "dense2",
    [spec.denseWidth, shape.classes],
    spec.denseWidth,
    shape.seed * 100 + 6,
  );
  const norms = spec.batchNorm ? [createBatchNorm("bn1", c1), createBatchNorm("bn2", c2)] : [];
  const parameters = [conv1, conv2, dense1, dense2].flatMap((l) => [l.kernel, l.bias]);
  parameters.push(...norms.flatMap((n) => [n.scale, n.offset]));
  const buffers = norms.flatMap((n, i) => [
    { name: `bn${i + 1}/running_mean`, variable: n.runningMean },
    { name: `bn${i + 1}/running_variance`, variable: n.runningVariance },
  ]);

  return {
    spec,
    parameters,
    buffers,
    apply(images, { training, step = 0 }) {
      const dropout = (x: tf.Tensor, rate: number, layer: number) =>
        training && rate > 0 ? tf.dropout(x, rate, undefined, step * 16 + layer) : x;
      let x = images.reshape([-1, shape.rows, shape.columns, 1]) as tf.Tensor4D;
      [conv1, conv2].forEach((conv, i) => {
        x = tf.add(tf.conv2d(x, conv.kernel.variable as tf.Tensor4D, 1, "valid"), conv.bias.variable);
        const norm = norms[i];
        if (norm) x = applyBatchNorm(x, norm, training);
        x = activate(x, spec.activation) as tf.Tensor4D;
      });
      x = tf.maxPool(x, 2, 2, "valid");
      let h: tf.Tensor = dropout(x.reshape([-1, flat]), spec.dropout, 0);
      h = activate(tf.add(tf.matMul(h, dense1.kernel.variable), dense1.bias.variable), spec.activation);
      h = dropout(h, spec.denseDropout ?? spec.dropout, 1);
      return tf.add(tf.matMul(h, dense2.kernel.variable), dense2.bias.variable) as tf.Tensor2D;
    },
    dispose() {
      tf.dispose([...parameters.map((p) => p.variable), ...buffers.map((b) => b.variable)]);
    },
  };
}
