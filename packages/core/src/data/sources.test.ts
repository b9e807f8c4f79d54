import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyDatasetFiles } from "./idx-fixtures.ts";
import { loadRawDataset } from "./sources.ts";

describe("dataset sources", () => {
  it("loads the bundled MNIST: 60k training and 10k test images of 28x28", async () => {
    const mnist = await loadRawDataset("mnist");
    expect([mnist.train.count, mnist.test.count, mnist.train.rows, mnist.train.columns]).toEqual([
      60000, 10000, 28, 28,
    ]);
    expect(mnist.train.labels[0]).toBe(5); // the first MNIST training digit is a 5
  });

  it.runIf(existsSync("/usr/share/datasets/fashion-mnist"))(
    "finds Debian's fashion-mnist (gzipped IDX)",
    async () => {
      const fashion = await loadRawDataset("fashion-mnist");
      expect([fashion.train.count, fashion.test.count]).toEqual([60000, 10000]);
    },
  );

  it("loads any folder holding the four IDX files, gzipped or not", async () => {
    for (const gzip of [false, true]) {
      const dir = mkdtempSync(join(tmpdir(), "folder-"));
      for (const [name, bytes] of Object.entries(tinyDatasetFiles({ train: 30, test: 10, gzip }))) {
        writeFileSync(join(dir, name), bytes);
      }
      const data = await loadRawDataset({ kind: "folder", path: dir });
      expect([data.train.count, data.test.count]).toEqual([30, 10]);
    }
  });

  it("reports a missing folder as DATA_NOT_FOUND", async () => {
    await expect(loadRawDataset({ kind: "folder", path: "/no/such/folder" })).rejects.toMatchObject({
      code: "DATA_NOT_FOUND",
      message: expect.stringContaining("/no/such/folder"),
    });
  });

  describe("from a URL with checksums (a local HTTP server)", () => {
    const files = tinyDatasetFiles({ train: 20, test: 10, gzip: true });
    const sha256 = Object.fromEntries(
      Object.entries(files).map(([name, bytes]) => [name, createHash("sha256").update(bytes).digest("hex")]),
    );
    let requests = 0;
    const server = createServer((req, res) => {
      requests += 1;
      const bytes = files[(req.url ?? "").slice(1)];
      res.writeHead(bytes ? 200 : 404).end(bytes);
    });
    let baseUrl = "";
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => server.close());

    it("downloads once, verifies and then serves from the cache", async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), "cache-"));
      const first = await loadRawDataset({ kind: "url", baseUrl, sha256 }, { cacheDir });
      expect(first.train.count).toBe(20);
      expect(requests).toBe(4);
      await loadRawDataset({ kind: "url", baseUrl, sha256 }, { cacheDir });
      expect(requests).toBe(4);
    });

    it("refuses a file whose SHA-256 does not match", async () => {
      const wrong = { ...sha256, "t10k-labels-idx1-ubyte.gz": "0".repeat(64) };
      await expect(
        loadRawDataset(
          { kind: "url", baseUrl, sha256: wrong },
          { cacheDir: mkdtempSync(join(tmpdir(), "c-")) },
        ),
      ).rejects.toMatchObject({ code: "DATA_CHECKSUM" });
    });
  });
});
