import { gzipSync } from "node:zlib";

/** Builds IDX bytes in memory, for tests: images of `rows x columns` and their labels. */
export function encodeIdxImages(
  pixels: Uint8Array,
  count: number,
  rows: number,
  columns: number,
): Uint8Array {
  const out = new Uint8Array(16 + pixels.length);
  const view = new DataView(out.buffer);
  [2051, count, rows, columns].forEach((word, i) => {
    view.setUint32(i * 4, word, false);
  });
  out.set(pixels, 16);
  return out;
}

export function encodeIdxLabels(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 2049, false);
  view.setUint32(4, labels.length, false);
  out.set(labels, 8);
  return out;
}

/** The four files of a tiny dataset (each image's brightness encodes its label), optionally gzipped. */
export function tinyDatasetFiles(options: {
  train: number;
  test: number;
  gzip?: boolean;
}): Record<string, Uint8Array> {
  const make = (count: number) => {
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    const pixels = new Uint8Array(count * 28 * 28);
    labels.forEach((label, i) => {
      pixels.fill(label * 25, i * 784 + label * 70, i * 784 + label * 70 + 70);
    });
    return { images: encodeIdxImages(pixels, count, 28, 28), labels: encodeIdxLabels(labels) };
  };
  const train = make(options.train);
  const test = make(options.test);
  const files: Record<string, Uint8Array> = {
    "train-images-idx3-ubyte": train.images,
    "train-labels-idx1-ubyte": train.labels,
    "t10k-images-idx3-ubyte": test.images,
    "t10k-labels-idx1-ubyte": test.labels,
  };
  if (!options.gzip) return files;
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [`${name}.gz`, gzipSync(bytes)]));
}
