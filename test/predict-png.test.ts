import { craftPng } from "@sweeplab/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TINY_MLP, trainRun } from "./support/server.ts";

describe("PNG images sent to /predict", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let id: string;
  beforeAll(async () => {
    server = await startTestServer({ WORKERS: "1" });
    id = await trainRun(server.url, TINY_MLP);
  }, 120_000);
  afterAll(() => server.close());

  const predict = (png: Buffer) =>
    fetch(`${server.url}/v1/runs/${id}/predict`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ images: [{ png: png.toString("base64") }] }),
    });

  it("classifies a well-formed 28x28 PNG", async () => {
    const response = await predict(craftPng({ width: 28, height: 28 }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { predictions: { probabilities: number[] }[] };
    expect(body.predictions[0]!.probabilities).toHaveLength(10);
  });

  it("refuses bombs, huge declared sizes, truncated files and bad bit depths from the header, cheaply", async () => {
    const before = process.memoryUsage().rss;
    const crafted = {
      "interlaced bomb": craftPng({
        width: 28,
        height: 28,
        interlace: 1,
        scanlines: new Uint8Array(256 << 20),
      }),
      "8000x8000": craftPng({ width: 8000, height: 8000, scanlines: new Uint8Array(64 << 20) }),
      truncated: craftPng({ width: 28, height: 28 }).subarray(0, 50),
      "bit depth 3": craftPng({ width: 28, height: 28, bitDepth: 3 }),
    };
    const answers: Record<string, [number, string, string]> = {};
    for (const [name, png] of Object.entries(crafted)) {
      expect(png.length, name).toBeLessThan(1_000_000);
      const response = await predict(png);
      const body = (await response.json()) as { code: string; detail: string };
      answers[name] = [response.status, response.headers.get("content-type") ?? "", body.code];
      expect(body.detail, name).toMatch(/^images\.0: /);
    }
    for (const answer of Object.values(answers)) {
      expect(answer).toEqual([400, "application/problem+json", "INVALID_IMAGE"]);
    }
    // The service shares this process: inflating any of those bombs would have cost hundreds of MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 << 20);
  });
});
