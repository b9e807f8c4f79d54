import { inflateSync } from "node:zlib";
import { PNG } from "pngjs";

/** What a PNG's IHDR chunk declares, read before any pixel data is inflated. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

export class PngRejected extends Error {
  override readonly name = "PngRejected";
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Bit depths the PNG spec allows per colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA). */
const DEPTHS: Record<number, { depths: number[]; channels: number }> = {
  0: { depths: [1, 2, 4, 8, 16], channels: 1 },
  2: { depths: [8, 16], channels: 3 },
  3: { depths: [1, 2, 4, 8], channels: 1 },
  4: { depths: [8, 16], channels: 2 },
  6: { depths: [8, 16], channels: 4 },
};
/** Adam7's seven passes: [x start, y start, x step, y step]. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Reads and checks the IHDR; throws PngRejected for anything that is not a well-formed PNG header. */
export function readPngHeader(bytes: Uint8Array): PngHeader {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 33 || !b.subarray(0, 8).equals(SIGNATURE))
    throw new PngRejected("not a PNG (bad signature)");
  if (b.readUInt32BE(8) !== 13 || b.toString("latin1", 12, 16) !== "IHDR")
    throw new PngRejected("the first chunk is not a 13-byte IHDR");
  const header = {
    width: b.readUInt32BE(16),
    height: b.readUInt32BE(20),
    bitDepth: b[24]!,
    colorType: b[25]!,
    interlaced: b[28] === 1,
  };
  const kind = DEPTHS[header.colorType];
  if (!kind) throw new PngRejected(`colour type ${header.colorType} does not exist`);
  if (!kind.depths.includes(header.bitDepth))
    throw new PngRejected(`bit depth ${header.bitDepth} is not valid for colour type ${header.colorType}`);
  if (b[26] !== 0 || b[27] !== 0 || b[28]! > 1)
    throw new PngRejected("unknown compression, filter or interlace method");
  if (header.width === 0 || header.height === 0) throw new PngRejected("zero width or height");
  return header;
}

/** The exact size of the filtered scanlines the header implies: what inflating the IDAT data may yield. */
export function inflatedSize(h: PngHeader): number {
  const bitsPerPixel = h.bitDepth * DEPTHS[h.colorType]!.channels;
  const passes = h.interlaced ? ADAM7 : [[0, 0, 1, 1] as const];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((h.width - x0) / dx);
    const rows = Math.ceil((h.height - y0) / dy);
    if (w > 0 && rows > 0) total += rows * (1 + Math.ceil((w * bitsPerPixel) / 8));
  }
  return total;
}

/** Concatenates the IDAT chunks, checking that every chunk lies inside the buffer. */
function idatData(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 8;
  for (;;) {
    if (at + 12 > b.length) throw new PngRejected("truncated (no IEND chunk)");
    const length = b.readUInt32BE(at);
    const type = b.toString("latin1", at + 4, at + 8);
    if (at + 12 + length > b.length) throw new PngRejected(`truncated inside the ${type} chunk`);
    if (type === "IDAT") parts.push(b.subarray(at + 8, at + 8 + length));
    if (type === "IEND") break;
    at += 12 + length;
  }
  if (parts.length === 0) throw new PngRejected("no image data (IDAT)");
  return Buffer.concat(parts);
}

/**
 * Decodes a PNG to RGBA only when its header declares exactly `expected` (the model's input size) and its pixel
 * data inflates to no more than that size implies: a decompression bomb costs at most a few kilobytes.
 */
export function decodePng(bytes: Uint8Array, expected: { width: number; height: number }): PNG {
  const header = readPngHeader(bytes);
  if (header.width !== expected.width || header.height !== expected.height) {
    throw new PngRejected(
      `PNG is ${header.width}x${header.height}, expected ${expected.width}x${expected.height}`,
    );
  }
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limit = inflatedSize(header);
  try {
    inflateSync(idatData(b), { maxOutputLength: limit });
  } catch (error) {
    if (error instanceof PngRejected) throw error;
    const tooLarge = (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    throw new PngRejected(
      tooLarge
        ? `pixel data inflates past the ${limit} bytes a ${header.width}x${header.height} image needs`
        : `pixel data does not inflate (${(error as Error).message})`,
    );
  }
  try {
    return PNG.sync.read(b);
  } catch (error) {
    throw new PngRejected(`not a valid PNG (${(error as Error).message})`);
  }
}
