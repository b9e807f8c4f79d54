import { crc32, deflateSync } from "node:zlib";

/** For tests: a PNG whose header may lie about its data, to check the decoder's limits. */
export interface CraftedPng {
  width: number;
  height: number;
  bitDepth?: number;
  /** 0 grey (default), 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType?: number;
  interlace?: 0 | 1;
  /** The inflated scanlines (filter byte per row included); default: zeros for a plain grey image. */
  scanlines?: Uint8Array;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function craftPng(spec: CraftedPng): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(spec.width, 0);
  ihdr.writeUInt32BE(spec.height, 4);
  ihdr[8] = spec.bitDepth ?? 8;
  ihdr[9] = spec.colorType ?? 0;
  ihdr[12] = spec.interlace ?? 0;
  const scanlines = spec.scanlines ?? new Uint8Array(spec.height * (1 + spec.width));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(scanlines, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}
