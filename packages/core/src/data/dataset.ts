import * as tf from "@tensorflow/tfjs-core";
import { CoreError } from "../errors.ts";
import { SeededRandom } from "./random.ts";
import { type DatasetShape, DatasetShapeSchema } from "./shape.ts";
import type { RawDataset } from "./sources.ts";

export { type DatasetShape, DatasetShapeSchema };

/** One split, kept on the backend as a flat [count, pixels] float tensor plus int32 labels. */
export interface DeviceSplit {
  images: tf.Tensor2D;
  labels: tf.Tensor1D;
  count: number;
}

/** What a model's input looks like and how pixels were normalised: (p / 255 - mean) / std. */

/**
 * A dataset ready to train on: normalised tensors on the backend, and the raw training bytes for augmentation.
 * `mean` and `std` are the training pixels' (in [0, 1]), used to normalise every split.
 */
export interface PreparedDataset extends DatasetShape {
  train: DeviceSplit;
  validation: DeviceSplit;
  test: DeviceSplit;
  /** Host copies of the training split, for augmentation on the CPU. */
  trainPixels: Uint8Array;
  trainLabels: Uint8Array;
  dispose(): void;
}

export interface PrepareDatasetOptions {
  /** Examples held out of the training images for validation. */
  validationSize: number;
  /** Decides which examples are held out. */
  seed: number;
}

/** How many pixels take each of the 256 byte values, over the examples at `indices` (all of them without). */
function pixelHistogram(pixels: Uint8Array, size: number, indices?: Int32Array): Float64Array {
  const counts = new Float64Array(256);
  if (!indices) {
    for (let i = 0; i < pixels.length; i++) counts[pixels[i]!]! += 1;
    return counts;
  }
  for (const index of indices) {
    for (let i = index * size, end = i + size; i < end; i++) counts[pixels[i]!]! += 1;
  }
  return counts;
}

/** Each training set's histogram, made once: a split's statistics are then the whole minus the held-out part. */
const wholeHistograms = new WeakMap<Uint8Array, Float64Array>();

/**
 * Mean and standard deviation (in [0, 1]) of every example but the held-out ones, `size` pixels each. Exact: from
 * integer pixel counts (the whole set's, counted once per dataset, less the held-out examples'), so a run's split
 * costs a pass over its validation examples rather than over the 55,000 it keeps.
 */
function pixelStatistics(
  pixels: Uint8Array,
  size: number,
  count: number,
  heldOut: Int32Array,
): { mean: number; std: number } {
  let whole = wholeHistograms.get(pixels);
  if (!whole) {
    whole = pixelHistogram(pixels.subarray(0, count * size), size);
    wholeHistograms.set(pixels, whole);
  }
  const held = pixelHistogram(pixels, size, heldOut);
  let kept = 0;
  let sum = 0;
  let squares = 0;
  for (let v = 0; v < 256; v++) {
    const n = whole[v]! - held[v]!;
    kept += n;
    sum += n * v;
    squares += n * v * v;
  }
  // Integer sums below 2^53: exact in float64, whatever the order of the examples.
  const mean = sum / 255 / kept;
  return { mean, std: Math.sqrt(squares / (255 * 255) / kept - mean * mean) };
}

/** Normalises bytes into a float buffer: (p / 255 - mean) / std. */
export function normalisePixels(
  pixels: Uint8Array,
  mean: number,
  std: number,
  out?: Float32Array,
): Float32Array {
  const result = out ?? new Float32Array(pixels.length);
  const scale = 1 / (255 * std);
  const shift = mean / std;
  for (let i = 0; i < pixels.length; i++) result[i] = pixels[i]! * scale - shift;
  return result;
}

/** Copies the examples at `indices` (pixels of `size` bytes each, and their labels) into new arrays. */
export function pickExamples(
  source: { pixels: Uint8Array; labels: Uint8Array },
  size: number,
  indices: Int32Array,
): { pixels: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  indices.forEach((index, i) => {
    pixels.set(source.pixels.subarray(index * size, (index + 1) * size), i * size);
    labels[i] = source.labels[index]!;
  });
  return { pixels, labels };
}

/** Normalises a split and moves it to the backend. */
export function toDevice(
  pixels: Uint8Array,
  labels: Uint8Array,
  size: number,
  mean: number,
  std: number,
): DeviceSplit {
  const count = labels.length;
  return {
    images: tf.tensor2d(normalisePixels(pixels, mean, std), [count, size]),
    labels: tf.tensor1d(Int32Array.from(labels), "int32"),
    count,
  };
}

/** The largest label plus one, by a loop: spreading a large label array into Math.max overflows the stack. */
export function countClasses(labels: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > largest) largest = labels[i]!;
  return largest + 1;
}

/** Which training examples a seed keeps and holds out, and the normalisation the kept ones give. */
export interface SplitPlan {
  /** Indices into the raw training images: the training split, then the validation split. */
  trainIndices: Int32Array;
  validationIndices: Int32Array;
  mean: number;
  std: number;
  classes: number;
}

/** Holds out a seeded validation split and measures the kept pixels; moves nothing to the backend. */
export function planSplits(raw: RawDataset, options: PrepareDatasetOptions): SplitPlan {
  const { train } = raw;
  if (options.validationSize < 0 || options.validationSize >= train.count) {
    throw new CoreError(
      "INVALID_CONFIG",
      `validationSize must be in [0, ${train.count}), got ${options.validationSize}`,
      { details: { field: "validationSize" } },
    );
  }
  const order = new SeededRandom(options.seed ^ 0x5eed).shuffle(
    Int32Array.from({ length: train.count }, (_, i) => i),
  );
  const trainCount = train.count - options.validationSize;
  const trainIndices = order.subarray(0, trainCount);
  const validationIndices = order.subarray(trainCount);
  const { mean, std } = pixelStatistics(
    train.pixels,
    train.rows * train.columns,
    train.count,
    validationIndices,
  );
  return {
    trainIndices,
    validationIndices,
    mean,
    std,
    classes: countClasses(train.labels),
  };
}

/** A split's raw bytes [count, rows * columns] and labels, on the host. */
export interface HostSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** The splits of a dataset on the host, not normalised: what a graph session or the device copies take in. */
export interface HostDataset extends DatasetShape {
  train: HostSplit;
  validation: HostSplit;
  test: HostSplit;
}

/** Holds out a seeded validation split and picks each split's examples, on the host. */
export function prepareHostDataset(raw: RawDataset, options: PrepareDatasetOptions): HostDataset {
  const { train, test } = raw;
  const { trainIndices, validationIndices, mean, std, classes } = planSplits(raw, options);
  const size = train.rows * train.columns;
  const split = (s: { pixels: Uint8Array; labels: Uint8Array }): HostSplit => ({
    ...s,
    count: s.labels.length,
  });
  return {
    name: raw.name,
    rows: train.rows,
    columns: train.columns,
    classes,
    mean,
    std,
    train: split(pickExamples(train, size, trainIndices)),
    validation: split(pickExamples(train, size, validationIndices)),
    test: split({ pixels: test.pixels, labels: test.labels }),
  };
}

/** Normalises, holds out a seeded validation split, and moves every split to the backend once. */
export function prepareDataset(raw: RawDataset, options: PrepareDatasetOptions): PreparedDataset {
  return toDeviceDataset(prepareHostDataset(raw, options));
}

/** Normalises a host dataset's splits and moves them to the backend. */
export function toDeviceDataset(host: HostDataset): PreparedDataset {
  const { rows, columns, mean, std } = host;
  const size = rows * columns;
  const device = (s: HostSplit) => toDevice(s.pixels, s.labels, size, mean, std);
  const splits = { train: device(host.train), validation: device(host.validation), test: device(host.test) };
  return {
    name: host.name,
    rows,
    columns,
    classes: host.classes,
    mean,
    std,
    ...splits,
    trainPixels: host.train.pixels,
    trainLabels: host.train.labels,
    dispose() {
      for (const split of Object.values(splits)) tf.dispose([split.images, split.labels]);
    },
  };
}
