import { createServer, type Server } from "node:net";
import { createTestApp } from "@sweeplab/server";
import { describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };
import { createClient } from "./client.ts";
import { ConnectionError, isTransportError, TimeoutError } from "./transport-errors.ts";
import { SDK_VERSION } from "./version.ts";

/** An in-process app, and every request it saw. */
async function appWithLog(env: Record<string, string> = {}) {
  const { app } = await createTestApp(env);
  const seen: Request[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input as Request | string | URL, init);
    seen.push(request.clone());
    return app.fetch(request);
  };
  return { fetch, seen };
}

/** A port nothing listens on: taken from the kernel, then released. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("client options", () => {
  it("asks a token function before every request (a rotating token)", async () => {
    const { fetch, seen } = await appWithLog({ SWEEPLAB_TOKEN: "a,b" });
    const tokens = ["a", "b"];
    let calls = 0;
    const client = createClient({
      baseUrl: "http://sweeplab.test",
      fetch,
      retry: 0,
      token: async () => tokens[calls++ % 2],
    });
    await client.status();
    await client.status();
    expect(seen.map((r) => r.headers.get("authorization"))).toEqual(["Bearer a", "Bearer b"]);
  });

  it("sends the client's headers, a request's headers over them, and a User-Agent naming the SDK", async () => {
    const { fetch, seen } = await appWithLog();
    const client = createClient({
      baseUrl: "http://sweeplab.test/",
      fetch,
      headers: { "x-team": "vision", "x-trace": "client" },
      userAgent: "my-service/2.1",
    });
    await client.runs.list({ limit: 1 }, { headers: { "x-trace": "call" } });
    const request = seen[0]!;
    expect(request.url).toBe("http://sweeplab.test/v1/runs?limit=1");
    expect(request.headers.get("x-team")).toBe("vision");
    expect(request.headers.get("x-trace")).toBe("call");
    expect(request.headers.get("user-agent")).toBe(`my-service/2.1 sweeplab-sdk/${SDK_VERSION}`);
    expect(SDK_VERSION).toBe(packageJson.version);
  });

  it("rejects with the caller's abort reason when a request's signal aborts", async () => {
    // ky hands fetch a Request that carries the signal.
    const hang: typeof fetch = (input) =>
      new Promise((_resolve, reject) => {
        const { signal } = input as Request;
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const client = createClient({ baseUrl: "http://sweeplab.test", fetch: hang, retry: 0 });
    const abort = new AbortController();
    abort.abort(new Error("caller gave up"));
    await expect(client.status({ signal: abort.signal })).rejects.toThrow("caller gave up");
  });
});

describe("transport errors", () => {
  it("names the URL tried when the connection is refused", async () => {
    const port = await closedPort();
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}`, retry: 0 });
    const error = await client.runs.get("run_1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(isTransportError(error)).toBe(true);
    expect(error).toMatchObject({ code: "UNREACHABLE", url: `http://127.0.0.1:${port}/v1/runs/run_1` });
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("is a TimeoutError when no answer comes within the request's timeoutMs", async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    const client = createClient({
      baseUrl: "http://sweeplab.test",
      fetch: never,
      retry: 0,
      timeoutMs: 60_000,
    });
    const error = await client.status({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT", url: "http://sweeplab.test/v1/status" });
  });
});

describe("paging", () => {
  /** A service whose pages are given: each request's URL is logged and answered with the next page. */
  function pages(bodies: unknown[]) {
    const urls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      urls.push(new Request(input as Request | string | URL, init).url);
      return Response.json(bodies[urls.length - 1]);
    };
    return { client: createClient({ baseUrl: "http://sweeplab.test", fetch, retry: 0 }), urls };
  }
  const point = (step: number) => ({ step, loss: 1 / step });

  it("follows nextAfterStep through a run's metrics", async () => {
    const { client, urls } = pages([
      { runId: "run_1", points: [point(1), point(2)], nextAfterStep: 2 },
      { runId: "run_1", points: [point(3)], nextAfterStep: null },
    ]);
    const steps = [];
    for await (const p of client.runs.metricsAll("run_1", { limit: 2 })) steps.push(p.step);
    expect(steps).toEqual([1, 2, 3]);
    expect(urls).toEqual([
      "http://sweeplab.test/v1/runs/run_1/metrics?limit=2",
      "http://sweeplab.test/v1/runs/run_1/metrics?limit=2&afterStep=2",
    ]);
  });

  it("follows nextCursor through the sweeps list, and stops on a page without one", async () => {
    const { client, urls } = pages([
      { items: [{ id: "swp_1" }], nextCursor: "c2" },
      { items: [{ id: "swp_2" }] },
    ]);
    const ids = [];
    for await (const sweep of client.sweeps.listAll({ limit: 1 })) ids.push(sweep.id);
    expect(ids).toEqual(["swp_1", "swp_2"]);
    expect(urls[1]).toBe("http://sweeplab.test/v1/sweeps?limit=1&cursor=c2");
  });
});

describe("sweeps.events", () => {
  const trial = (runId: string, status: string, step: number) => ({
    trialIndex: 0,
    repeatIndex: 0,
    runId,
    status,
    params: {},
    value: null,
    step,
    totalSteps: 10,
    msPerStep: null,
    error: null,
  });
  const summary = {
    id: "swp_1",
    name: null,
    status: "succeeded",
    stopReason: null,
    preset: null,
    method: "random",
    metric: "validationAccuracy",
    direction: "maximize",
    trials: 1,
    parallelism: 1,
    repeats: 1,
    seed: 0,
    earlyStopping: null,
    runsByStatus: { succeeded: 1 },
    bestMean: 0.5,
    createdAt: "2026-12-03T07:00:00.000Z",
    finishedAt: "2026-12-03T07:01:00.000Z",
  };
  const sse = (events: [string, unknown][]) =>
    new Response(
      events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(""),
      {
        headers: { "Content-Type": "text/event-stream" },
      },
    );

  it("reopens a broken stream and reports a trial again only when its state changed", async () => {
    const streams = [
      sse([["trial", trial("run_1", "running", 2)]]),
      sse([
        ["trial", trial("run_1", "running", 2)],
        ["trial", trial("run_1", "succeeded", 10)],
        ["sweep", summary],
      ]),
    ];
    const client = createClient({
      baseUrl: "http://sweeplab.test",
      fetch: async () => streams.shift()!,
      retry: 0,
    });
    const seen = [];
    for await (const event of client.sweeps.events("swp_1"))
      seen.push(event.type === "trial" ? `${event.trial.status}@${event.trial.step}` : event.sweep.status);
    expect(seen).toEqual(["running@2", "succeeded@10", "succeeded"]);
  });

  it("asks for changes only with snapshot: false, and for the snapshot by default", async () => {
    const urls: string[] = [];
    const client = createClient({
      baseUrl: "http://sweeplab.test",
      fetch: async (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return sse([["sweep", summary]]);
      },
    });
    for await (const _ of client.sweeps.events("swp_1", { snapshot: false }));
    for await (const _ of client.sweeps.events("swp_1"));
    expect(urls).toEqual([
      "http://sweeplab.test/v1/sweeps/swp_1/events?snapshot=false",
      "http://sweeplab.test/v1/sweeps/swp_1/events",
    ]);
  });

  it("refuses an event the contract does not accept", async () => {
    const client = createClient({
      baseUrl: "http://sweeplab.test",
      fetch: async () => sse([["sweep", { ...summary, status: "paused" }]]),
    });
    const events = client.sweeps.events("swp_1");
    await expect(events.next()).rejects.toMatchObject({ name: "EventFormatError" });
  });
});
