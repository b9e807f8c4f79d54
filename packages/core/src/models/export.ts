import type { DatasetShape } from "../train/events.ts";
import type { Activation } from "./activations.ts";
import type { SerializedTensor } from "./parameters.ts";
import type { ModelSpec } from "./spec.ts";

/**
 * A trained model as TensorFlow.js layers-model artifacts in one JSON document: load it with
 * `tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData: base64 decoded }))`.
 * The input normalisation is folded into the first layer, so the model takes raw pixels (0-255) flattened to
 * `rows * columns` values and returns class probabilities.
 */
export interface TfjsModelArtifacts {
  format: "layers-model";
  generatedBy: string;
  modelTopology: Record<string, unknown>;
  weightSpecs: { name: string; shape: number[]; dtype: "float32" }[];
  /** The weights, float32 little-endian, concatenated in weightSpecs order, base64. */
  weightDataBase64: string;
}

const KERAS_ACTIVATION: Record<Activation, string> = {
  relu: "relu",
  silu: "swish",
  gelu: "gelu",
  tanh: "tanh",
  sigmoid: "sigmoid",
};

function layer(className: string, config: Record<string, unknown>) {
  return { class_name: className, config: { trainable: true, dtype: "float32", ...config } };
}

/** Folds (p / 255 - mean) / std into a first linear layer whose kernel's last axis is its output. */
function foldNormalisation(kernel: SerializedTensor, bias: SerializedTensor, shape: DatasetShape) {
  const scale = 1 / (255 * shape.std);
  const shift = -shape.mean / shape.std;
  const outputs = bias.values.length;
  const foldedKernel = kernel.values.map((v) => v * scale);
  const foldedBias = Float32Array.from(bias.values);
  kernel.values.forEach((v, i) => {
    foldedBias[i % outputs]! += v * shift;
  });
  return [
    { ...kernel, values: foldedKernel },
    { ...bias, values: foldedBias },
  ];
}

/** The layers model's topology and its weights in the order TensorFlow.js reads them, not yet concatenated. */
export interface TfjsLayers {
  modelTopology: Record<string, unknown>;
  /** Named as TensorFlow.js expects; each one's values are float32 little-endian on the wire. */
  weights: SerializedTensor[];
}

/**
 * A trained model as a TensorFlow.js layers model: its topology and its weights in manifest order, so a server
 * can stream the weights as binary (`weights.bin`) without building one large buffer or string.
 */
export function exportTfjsLayers(
  spec: ModelSpec,
  weights: SerializedTensor[],
  shape: DatasetShape,
): TfjsLayers {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const get = (name: string) => {
    const w = byName.get(name);
    if (!w) throw new Error(`missing weight ${name}`);
    return w;
  };
  const inputs = shape.rows * shape.columns;
  const activation = KERAS_ACTIVATION[spec.activation];
  const layers: unknown[] = [];
  const ordered: SerializedTensor[] = [];
  const specName = (layerName: string, w: SerializedTensor) => ({
    ...w,
    name: `${layerName}/${w.name.split("/")[1]}`,
  });
  if (spec.kind === "mlp") {
    for (let i = 0; i <= spec.depth; i++) {
      const last = i === spec.depth;
      const units = get(`dense${i}/bias`).values.length;
      layers.push(
        layer("Dense", {
          name: `dense${i}`,
          units,
          activation: last ? "softmax" : activation,
          use_bias: true,
          ...(i === 0 ? { batch_input_shape: [null, inputs] } : {}),
        }),
      );
      const pair = [get(`dense${i}/kernel`), get(`dense${i}/bias`)];
      ordered.push(
        ...(i === 0 ? foldNormalisation(pair[0]!, pair[1]!, shape) : pair).map((w) =>
          specName(`dense${i}`, w),
        ),
      );
    }
  } else {
    const [c1, c2] = spec.channels;
    layers.push(
      layer("Reshape", {
        name: "image",
        target_shape: [shape.rows, shape.columns, 1],
        batch_input_shape: [null, inputs],
      }),
    );
    [c1, c2].forEach((filters, i) => {
      const name = `conv${i + 1}`;
      layers.push(
        layer("Conv2D", {
          name,
          filters,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: "valid",
          data_format: "channels_last",
          activation: spec.batchNorm ? "linear" : activation,
          use_bias: true,
        }),
      );
      const pair = [get(`${name}/kernel`), get(`${name}/bias`)];
      ordered.push(
        ...(i === 0 ? foldNormalisation(pair[0]!, pair[1]!, shape) : pair).map((w) => specName(name, w)),
      );
      if (spec.batchNorm) {
        const bn = `bn${i + 1}`;
        layers.push(
          layer("BatchNormalization", { name: bn, axis: -1, epsilon: 1e-5, center: true, scale: true }),
        );
        layers.push(layer("Activation", { name: `${bn}_activation`, activation }));
        ordered.push(
          { ...get(`${bn}/scale`), name: `${bn}/gamma` },
          { ...get(`${bn}/offset`), name: `${bn}/beta` },
          { ...get(`${bn}/running_mean`), name: `${bn}/moving_mean` },
          { ...get(`${bn}/running_variance`), name: `${bn}/moving_variance` },
        );
      }
    });
    layers.push(
      layer("MaxPooling2D", { name: "pool", pool_size: [2, 2], strides: [2, 2], padding: "valid" }),
    );
    layers.push(layer("Flatten", { name: "flatten" }));
    layers.push(layer("Dense", { name: "dense1", units: spec.denseWidth, activation, use_bias: true }));
    layers.push(
      layer("Dense", { name: "dense2", units: shape.classes, activation: "softmax", use_bias: true }),
    );
    for (const name of ["dense1", "dense2"]) {
      ordered.push(specName(name, get(`${name}/kernel`)), specName(name, get(`${name}/bias`)));
    }
  }
  return {
    modelTopology: {
      class_name: "Sequential",
      config: { name: `sweeplab_${spec.kind}`, layers },
      keras_version: "tfjs-layers 4.22.0",
      backend: "tensor_flow.js",
    },
    weights: ordered,
  };
}

/** The whole model in one JSON document, weights base64: for small models kept in memory (tests, files). */
export function exportTfjsModel(
  spec: ModelSpec,
  weights: SerializedTensor[],
  shape: DatasetShape,
): TfjsModelArtifacts {
  const layers = exportTfjsLayers(spec, weights, shape);
  const total = layers.weights.reduce((n, w) => n + w.values.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const w of layers.weights) {
    data.set(w.values, offset);
    offset += w.values.length;
  }
  return {
    format: "layers-model",
    generatedBy: "sweeplab",
    modelTopology: layers.modelTopology,
    weightSpecs: layers.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: "float32" })),
    weightDataBase64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64"),
  };
}
