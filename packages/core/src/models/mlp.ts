import * as tf from "@tensorflow/tfjs-core";
import { activate } from "./activations.ts";
import type { Model } from "./model.ts";
import { createLayerParameters, type Parameter } from "./parameters.ts";
import type { MlpSpec } from "./spec.ts";

/** A multilayer perceptron: `depth` hidden layers of `width`, then a linear layer to the classes. */
export function buildMlp(spec: MlpSpec, shape: { inputs: number; classes: number; seed: number }): Model {
  const layers: { kernel: Parameter; bias: Parameter }[] = [];
  let fanIn = shape.inputs;
  for (let i = 0; i <= spec.depth; i++) {
    const outputs = i === spec.depth ? shape.classes : spec.width;
    layers.push(createLayerParameters(`dense${i}`, [fanIn, outputs], fanIn, shape.seed * 100 + i * 2));
    fanIn = outputs;
  }
  return {
    spec,
    parameters: layers.flatMap((l) => [l.kernel, l.bias]),
    buffers: [],
    apply(images, { training, step = 0 }) {
      let x: tf.Tensor = images;
      layers.forEach(({ kernel, bias }, i) => {
        x = tf.add(tf.matMul(x, kernel.variable), bias.variable);
        if (i === spec.depth) return;
        x = activate(x, spec.activation);
        if (training && spec.dropout > 0) x = tf.dropout(x, spec.dropout, undefined, step * 16 + i);
      });
      return x as tf.Tensor2D;
    },
    dispose() {
      for (const l of layers) tf.dispose([l.kernel.variable, l.bias.variable]);
    },
  };
}
