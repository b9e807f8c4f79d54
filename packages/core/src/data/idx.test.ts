import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CoreError } from "../errors.ts";
import { loadIdxPair, parseIdxImages, parseIdxLabels } from "./idx.ts";
import { encodeIdxImages, encodeIdxLabels } from "./idx-fixtures.ts";

const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);

function expectCoreError(fn: () => unknown, code: string, text: RegExp) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe(code);
    expect((error as CoreError).message).toMatch(text);
    return;
  }
  throw new Error("expected a CoreError");
}

describe("IDX parsing", () => {
  it("reads dimensions and pixels big-endian, raw or gzipped", () => {
    for (const bytes of [encodeIdxImages(pixels, 2, 3, 4), gzipSync(encodeIdxImages(pixels, 2, 3, 4))]) {
      const images = parseIdxImages(bytes, "x");
      expect([images.count, images.rows, images.columns]).toEqual([2, 3, 4]);
      expect(Array.from(images.pixels)).toEqual(Array.from(pixels));
    }
    expect(Array.from(parseIdxLabels(encodeIdxLabels(Uint8Array.of(7, 2)), "y"))).toEqual([7, 2]);
  });

  it("names the file when an image file is truncated", () => {
    const truncated = encodeIdxImages(pixels, 2, 3, 4).subarray(0, 30);
    expectCoreError(
      () => parseIdxImages(truncated, "train-images"),
      "DATA_FORMAT",
      /train-images: expected 40 bytes/,
    );
  });

  it("rejects a wrong magic number, a short header and a corrupt gzip stream", () => {
    expectCoreError(
      () => parseIdxImages(encodeIdxLabels(Uint8Array.of(1)), "f"),
      "DATA_FORMAT",
      /magic 2049/,
    );
    expectCoreError(
      () => parseIdxLabels(Uint8Array.of(0, 0, 8), "g"),
      "DATA_FORMAT",
      /g: truncated IDX header/,
    );
    const corrupt = gzipSync(encodeIdxLabels(Uint8Array.of(1, 2)));
    corrupt[12] = corrupt[12]! ^ 0xff;
    expectCoreError(
      () => parseIdxLabels(corrupt.subarray(0, 20), "h.gz"),
      "DATA_FORMAT",
      /h.gz: corrupt gzip/,
    );
  });

  it("rejects image and label files whose counts differ", async () => {
    const dir = mkdtempSync(join(tmpdir(), "idx-"));
    writeFileSync(join(dir, "images"), encodeIdxImages(pixels, 2, 3, 4));
    writeFileSync(join(dir, "labels"), encodeIdxLabels(Uint8Array.of(1, 2, 3)));
    await expect(loadIdxPair(join(dir, "images"), join(dir, "labels"))).rejects.toMatchObject({
      code: "DATA_FORMAT",
      message: expect.stringMatching(/3 labels for 2 images/),
    });
  });

  it("reports a missing file as DATA_NOT_FOUND", async () => {
    await expect(loadIdxPair("/nonexistent/a", "/nonexistent/b")).rejects.toMatchObject({
      code: "DATA_NOT_FOUND",
    });
  });
});
