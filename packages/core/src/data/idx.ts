import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { CoreError } from "../errors.ts";

/** Magic numbers of the IDX files MNIST ships: unsigned bytes, 1 dimension (labels) or 3 (images). */
const LABELS_MAGIC = 2049;
const IMAGES_MAGIC = 2051;

export interface IdxImages {
  count: number;
  rows: number;
  columns: number;
  /** Row-major pixels, `count * rows * columns` bytes. */
  pixels: Uint8Array;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The most a gzipped IDX file may inflate to (MNIST's training images are 47 MB). */
export const MAX_IDX_BYTES = 256 * 1024 * 1024;

function inflate(bytes: Uint8Array, file: string, limit = MAX_IDX_BYTES): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: limit });
  } catch (cause) {
    const tooLarge = (cause as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    throw new CoreError(
      "DATA_FORMAT",
      tooLarge ? `${file}: inflates past ${limit} bytes` : `${file}: corrupt gzip stream`,
      { cause, details: { file } },
    );
  }
}

function header(bytes: Uint8Array, file: string, words: number): number[] {
  if (bytes.length < words * 4) {
    throw new CoreError("DATA_FORMAT", `${file}: truncated IDX header (${bytes.length} bytes)`, {
      details: { file },
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: words }, (_, i) => view.getUint32(i * 4, false));
}

function expectLength(bytes: Uint8Array, expected: number, file: string): void {
  if (bytes.length !== expected) {
    throw new CoreError(
      "DATA_FORMAT",
      `${file}: expected ${expected} bytes from its IDX header, found ${bytes.length} (truncated or corrupt)`,
      { details: { file, expected, actual: bytes.length } },
    );
  }
}

/** Parses an IDX label file (raw or gzipped). `file` names it in errors. */
export function parseIdxLabels(input: Uint8Array, file = "labels"): Uint8Array {
  const bytes = inflate(input, file);
  const [magic] = header(bytes, file, 1) as [number];
  if (magic !== LABELS_MAGIC) {
    throw new CoreError("DATA_FORMAT", `${file}: not an IDX label file (magic ${magic}, expected 2049)`, {
      details: { file, magic },
    });
  }
  const [, count] = header(bytes, file, 2) as [number, number];
  expectLength(bytes, 8 + count, file);
  return bytes.subarray(8);
}

/** Parses an IDX image file (raw or gzipped). `file` names it in errors. */
export function parseIdxImages(input: Uint8Array, file = "images"): IdxImages {
  const bytes = inflate(input, file);
  const [magic] = header(bytes, file, 1) as [number];
  if (magic !== IMAGES_MAGIC) {
    throw new CoreError("DATA_FORMAT", `${file}: not an IDX image file (magic ${magic}, expected 2051)`, {
      details: { file, magic },
    });
  }
  const [, count, rows, columns] = header(bytes, file, 4) as [number, number, number, number];
  expectLength(bytes, 16 + count * rows * columns, file);
  return { count, rows, columns, pixels: bytes.subarray(16) };
}

async function readOrNotFound(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (cause) {
    throw new CoreError("DATA_NOT_FOUND", `${file}: cannot read (${(cause as Error).message})`, {
      cause,
      details: { file },
    });
  }
}

export interface LabelledImages extends IdxImages {
  labels: Uint8Array;
}

/** Reads a pair of IDX files and checks that they describe the same number of examples. */
export async function loadIdxPair(imagesFile: string, labelsFile: string): Promise<LabelledImages> {
  const images = parseIdxImages(await readOrNotFound(imagesFile), imagesFile);
  const labels = parseIdxLabels(await readOrNotFound(labelsFile), labelsFile);
  if (labels.length !== images.count) {
    throw new CoreError(
      "DATA_FORMAT",
      `${labelsFile}: ${labels.length} labels for ${images.count} images in ${imagesFile}`,
      { details: { imagesFile, labelsFile } },
    );
  }
  return { ...images, labels };
}
