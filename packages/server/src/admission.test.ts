import { describe, expect, it } from "vitest";
import { DIALECTS } from "./test-support/databases.ts";
import { useDialectApps } from "./test-support/dialect-apps.ts";

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});
/** A config admission refuses at the default 4,096 MB budget. */
const HUGE = { batchSize: 4096, model: { kind: "cnn", channels: [256, 256], denseWidth: 4096 } };

describe.each(DIALECTS)("admission on $dialect: every way into the queue", ({ create }) => {
  const open = useDialectApps(create);

  it("an Idempotency-Key does not pass a full queue; a replay of a known key does", async () => {
    const { app } = await open({ SWEEPLAB_MAX_QUEUED_RUNS: "2" });
    const first = await app.request("/v1/runs", post({ config: {} }, { "Idempotency-Key": "k1" }));
    expect(first.status).toBe(202);
    expect((await app.request("/v1/runs", post({ config: {} }))).status).toBe(202);
    const refused = await app.request("/v1/runs", post({ config: {} }, { "Idempotency-Key": "k2" }));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({ code: "QUEUE_FULL" });
    const replay = await app.request("/v1/runs", post({ config: {} }, { "Idempotency-Key": "k1" }));
    expect(replay.status).toBe(202);
    expect(((await replay.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
  });

  it("a sweep whose trials are over the memory budget is refused at creation, and nothing is queued", async () => {
    const { app, deps } = await open();
    const space = {
      parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [64, 4096] }],
    };
    const response = await app.request("/v1/sweeps", post({ base: HUGE, space, method: "grid" }));
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe("INVALID_SWEEP");
    expect(problem.detail).toMatch(
      /^trial #1 \(batch=4096\) would be refused: RUN_TOO_LARGE: this run needs about/,
    );
    expect((await deps.store.countRunsByStatus()).queued).toBe(0);
    expect(await deps.store.listSweeps(10)).toEqual([]);
  });

  it("a sweep on a dataset the service forbids is refused at creation", async () => {
    const { app } = await open();
    const base = { dataset: { kind: "folder", path: "/tmp/x" } };
    const space = { parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [32] }] };
    const response = await app.request("/v1/sweeps", post({ base, space, trials: 1 }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain("DATASET_NOT_ALLOWED");
  });
});
