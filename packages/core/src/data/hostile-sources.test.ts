import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countClasses } from "./dataset.ts";
import { MAX_IDX_BYTES } from "./idx.ts";
import { tinyDatasetFiles } from "./idx-fixtures.ts";
import { DatasetSpecSchema, datasetFileUrl, loadRawDataset, MAX_DOWNLOAD_BYTES } from "./sources.ts";

const hash = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("custom dataset URLs against a hostile server", () => {
  const files = tinyDatasetFiles({ train: 20, test: 10, gzip: true });
  // Gzip members of 1 MiB of zeros, concatenated: a few hundred KB that inflate past the IDX limit.
  const member = gzipSync(Buffer.alloc(1 << 20));
  const bomb = Buffer.concat(Array.from({ length: MAX_IDX_BYTES / (1 << 20) + 1 }, () => member));
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? "";
    seen.push(url);
    if (url.startsWith("/redirect/")) return res.writeHead(302, { Location: `/ok/${url.slice(10)}` }).end();
    if (url.startsWith("/huge/")) {
      return res.writeHead(200, { "Content-Length": String(MAX_DOWNLOAD_BYTES + 1) }).end();
    }
    const name = url.split("/").pop()!;
    if (url.startsWith("/bomb/") && name === "train-images-idx3-ubyte.gz")
      return res.writeHead(200).end(bomb);
    const bytes = files[name];
    res.writeHead(bytes ? 200 : 404).end(bytes);
  });
  let base = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  const sha256 = Object.fromEntries(Object.entries(files).map(([n, b]) => [n, hash(b)]));
  const load = (baseUrl: string, sums = sha256) =>
    loadRawDataset({ kind: "url", baseUrl, sha256: sums }, { cacheDir: mkdtempSync(join(tmpdir(), "c-")) });

  it("refuses a base URL with a query or fragment, and keeps file names in the path", () => {
    for (const baseUrl of [
      "http://h.example/data?",
      "http://h.example/data?x=1",
      "http://h.example/d#f",
      "file:///etc",
    ]) {
      expect(DatasetSpecSchema.safeParse({ kind: "url", baseUrl, sha256 }).success, baseUrl).toBe(false);
    }
    expect(
      DatasetSpecSchema.safeParse({ kind: "url", baseUrl: "http://h/d", sha256: { "../x": "0".repeat(64) } })
        .success,
    ).toBe(false);
    expect(datasetFileUrl("http://h.example/data", "a.gz")).toBe("http://h.example/data/a.gz");
    expect(datasetFileUrl("http://h.example/data/", "a.gz")).toBe("http://h.example/data/a.gz");
  });

  it("does not follow redirects", async () => {
    await expect(load(`${base}/redirect`)).rejects.toMatchObject({
      code: "DATA_NOT_FOUND",
      message: expect.stringContaining("redirect, not followed"),
    });
    expect(seen.some((u) => u.startsWith("/ok/"))).toBe(false);
  });

  it("refuses a body over the download limit", async () => {
    await expect(load(`${base}/huge`)).rejects.toMatchObject({
      code: "DATA_NOT_FOUND",
      message: expect.stringContaining("over the 268435456-byte limit"),
    });
  });

  it("stops a gzip bomb at the inflate limit", async () => {
    expect(bomb.length).toBeLessThan(1_000_000);
    const sums = { ...sha256, "train-images-idx3-ubyte.gz": hash(bomb) };
    await expect(load(`${base}/bomb`, sums)).rejects.toMatchObject({
      code: "DATA_FORMAT",
      message: expect.stringContaining(`inflates past ${MAX_IDX_BYTES} bytes`),
    });
  });
});

describe("countClasses", () => {
  it("counts classes over a million labels (spread into Math.max would overflow the stack)", () => {
    const labels = new Uint8Array(1_000_000);
    labels[999_999] = 9;
    expect(countClasses(labels)).toBe(10);
  });
});
