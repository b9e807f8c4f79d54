import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { craftPng } from "./png-fixtures.ts";
import { decodePng, inflatedSize, readPngHeader } from "./png-image.ts";

const MNIST = { width: 28, height: 28 };

describe("PNG images for /predict", () => {
  it("decodes a real 28x28 PNG written by pngjs", () => {
    const png = new PNG({ width: 28, height: 28 });
    png.data.fill(255);
    png.data[0] = 10;
    const decoded = decodePng(PNG.sync.write(png), MNIST);
    expect([decoded.width, decoded.height, decoded.data[0], decoded.data[4]]).toEqual([28, 28, 10, 255]);
  });

  it("reads the declared size from IHDR and refuses anything but the model's input size", () => {
    const huge = craftPng({ width: 8000, height: 8000, scanlines: new Uint8Array(10) });
    expect(readPngHeader(huge)).toMatchObject({ width: 8000, height: 8000, bitDepth: 8, colorType: 0 });
    expect(() => decodePng(huge, MNIST)).toThrow("PNG is 8000x8000, expected 28x28");
  });

  it("stops an interlaced decompression bomb at the size its header implies", () => {
    // 28x28 grey, interlaced, whose IDAT inflates to 64 MB: pngjs alone would inflate all of it.
    const bomb = craftPng({ width: 28, height: 28, interlace: 1, scanlines: new Uint8Array(64 << 20) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodePng(bomb, MNIST)).toThrow(/inflates past the \d+ bytes a 28x28 image needs/);
    expect(inflatedSize(readPngHeader(bomb))).toBeLessThan(28 * 29 * 2);
  });

  it("refuses truncated files and impossible bit depths", () => {
    const good = craftPng({ width: 28, height: 28 });
    expect(() => decodePng(good.subarray(0, good.length - 20), MNIST)).toThrow(/truncated/);
    expect(() => decodePng(good.subarray(0, 20), MNIST)).toThrow(/not a PNG/);
    expect(() => decodePng(craftPng({ width: 28, height: 28, bitDepth: 7 }), MNIST)).toThrow(
      "bit depth 7 is not valid for colour type 0",
    );
    expect(() => decodePng(craftPng({ width: 28, height: 28, colorType: 2, bitDepth: 4 }), MNIST)).toThrow(
      /bit depth 4/,
    );
    expect(() => decodePng(craftPng({ width: 28, height: 28, colorType: 5 }), MNIST)).toThrow(
      /colour type 5/,
    );
    expect(() => decodePng(Buffer.from("GIF89a".padEnd(40, "x")), MNIST)).toThrow(/not a PNG/);
  });

  it("decodes a crafted plain image whose data matches its header", () => {
    const decoded = decodePng(craftPng({ width: 28, height: 28 }), MNIST);
    expect(decoded.data.length).toBe(28 * 28 * 4);
  });
});
