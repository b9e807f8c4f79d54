import { SeededRandom } from "@sweeplab/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./support/server.ts";

/** Malformed or out-of-range requests, drawn from a seeded generator so a failure can be replayed. */
function malformedRequests(
  count: number,
  seed: number,
): { method: string; path: string; init: RequestInit }[] {
  const random = new SeededRandom(seed);
  const pick = <T>(items: T[]): T => items[random.int(items.length)]!;
  const junk = () =>
    pick<unknown>([
      -1,
      0,
      1e308,
      -1e308,
      "x",
      "",
      null,
      true,
      [],
      {},
      [1, "a"],
      { a: { b: { c: [] } } },
      "9".repeat(400),
      Number.MAX_SAFE_INTEGER,
      0.5,
      "<script>",
      "../../etc/passwd",
      "\u0000",
    ]);
  const configs = () =>
    pick<unknown>([
      { steps: junk() },
      { batchSize: junk() },
      {
        model: {
          kind: pick(["mlp", "cnn", "rnn", junk()]),
          depth: junk(),
          width: junk(),
          activation: junk(),
        },
      },
      { optimizer: { kind: pick(["adamw", "sgd", "adam", junk()]), learningRate: junk(), momentum: junk() } },
      { schedule: { kind: junk(), warmupSteps: junk() } },
      { dataset: junk() },
      { dataset: { kind: "url", baseUrl: junk(), sha256: junk() } },
      { augment: junk(), seed: junk() },
      { validationSize: junk(), evalEverySteps: junk() },
      junk(),
    ]);
  const requests = [];
  for (let i = 0; i < count; i++) {
    const kind = random.int(8);
    const json = (body: unknown) => ({
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (kind === 0) requests.push({ method: "POST", path: "/v1/runs", init: json({ config: configs() }) });
    else if (kind === 1)
      requests.push({
        method: "POST",
        path: "/v1/runs",
        init: json({
          config: {},
          name: junk(),
          tags: pick<unknown>([1, "x", [1], [""], { a: 1 }, null, ["x".repeat(65)]]),
        }),
      });
    else if (kind === 2) {
      const raw = pick(["{", "[1,2", "nul", '"str', '{"config":', "\u0000\u0001", "{}}"]);
      requests.push({
        method: "POST",
        path: "/v1/runs",
        init: { method: "POST", headers: { "Content-Type": "application/json" }, body: raw },
      });
    } else if (kind === 3) {
      const query = pick([
        "limit=0",
        "limit=abc",
        "limit=100000",
        "status=done",
        "sort=loss",
        "cursor=%%%",
        "cursor=e30",
      ]);
      requests.push({ method: "GET", path: `/v1/runs?${query}`, init: {} });
    } else if (kind === 4) {
      const sub = pick(["", "/metrics", "/events", "/curves.svg", "/curves.png", "/evaluation", "/model"]);
      requests.push({ method: "GET", path: `/v1/runs/run_${random.int(1e9)}${sub}`, init: {} });
    } else if (kind === 5) {
      const verb = pick(["POST", "DELETE"]);
      const sub = verb === "POST" ? pick(["/cancel", "/predict"]) : "";
      requests.push({
        method: verb,
        path: `/v1/runs/nope${random.int(1000)}${sub}`,
        init: { method: verb, ...(sub === "/predict" ? json({ images: junk() }) : {}) },
      });
    } else if (kind === 6) {
      requests.push({
        method: "GET",
        // A dot-dot probe inside the API (URL parsing turns it into /v1/); outside /v1 every GET is the dashboard.
        path: pick([
          "/v1/run",
          "/v2/runs",
          "/v1/runs/a/b/c",
          "/v1/runs/%2e%2e/",
          `/v1/runs/${"x".repeat(300)}`,
        ]),
        init: {},
      });
    } else {
      requests.push({
        method: "POST",
        path: "/v1/runs",
        init: {
          method: "POST",
          headers: { "Content-Type": pick(["text/plain", "application/xml", "multipart/form-data"]) },
          body: "config=1",
        },
      });
    }
  }
  return requests;
}

describe("fuzzing the API", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ WORKERS: "1" });
  });
  afterAll(() => server.close());

  it("answers 600 malformed requests with 4xx problems, never a 5xx, and stays up", async () => {
    const failures: string[] = [];
    for (const { path, init } of malformedRequests(600, 20261127)) {
      const response = await fetch(`${server.url}${path}`, init);
      const type = response.headers.get("content-type") ?? "";
      if (response.status < 400 || response.status >= 500 || !type.startsWith("application/problem+json")) {
        failures.push(
          `${init.method ?? "GET"} ${path} ${String(init.body ?? "").slice(0, 80)} -> ${response.status} ${type}`,
        );
      }
      await response.arrayBuffer();
    }
    expect(failures).toEqual([]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
