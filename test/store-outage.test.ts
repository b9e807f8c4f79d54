// A fault flow on PostgreSQL: the database is stopped and started twice while a sweep trains (each time for longer
// than a lease). The API answers 503 with Retry-After meanwhile (liveness stays up, readiness says the store is
// down), and afterwards every trial has trained to its end exactly once, on its first attempt: an outage of the
// store is not the runs' fault. The database is a private PostgreSQL server (support/postgres-cluster.ts), so
// stopping it disturbs nobody else's.
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { clusterUnavailable, startPostgresCluster } from "./support/postgres-cluster.ts";
import { json } from "./support/processes.ts";
import { startTestServer, waitFor } from "./support/server.ts";

const LEASE_MS = 3000;
const FAST = {
  SWEEPLAB_POLL_MS: "100",
  SWEEPLAB_LEASE_MS: String(LEASE_MS),
  SWEEPLAB_CHECKPOINT_EVERY_STEPS: "200",
  // Two attempts only: before outages were told apart, two outages failed every run they caught.
  SWEEPLAB_MAX_RUN_ATTEMPTS: "2",
  // Every failing scheduler tick would log a stack: the assertions say what went wrong.
  SWEEPLAB_LOG_LEVEL: "fatal",
};
const TRIAL = {
  model: { kind: "mlp", depth: 1, width: 32 },
  steps: 1200,
  batchSize: 32,
  logEverySteps: 50,
  evalEverySteps: 600,
  validationSize: 200,
};

interface RunView {
  id: string;
  status: string;
  step: number;
  attempts: number;
}

const unavailable = clusterUnavailable();
if (unavailable) console.warn(`store-outage flow skipped: ${unavailable}`);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(unavailable)("a PostgreSQL outage during a sweep", () => {
  it("answers 503 while the database is down twice; every trial then finishes once, no attempt spent", async () => {
    const cluster = await startPostgresCluster();
    cleanups.push(() => cluster.destroy());
    const server = await startTestServer({ DATABASE_URL: cluster.url, ...FAST });
    cleanups.push(() => server.close());
    const { url } = server;

    const created = await fetch(`${url}/v1/sweeps`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        base: TRIAL,
        space: { parameters: [{ name: "seed", path: "seed", type: "categorical", values: [1, 2, 3] }] },
        method: "grid",
        trials: 3,
        parallelism: 2,
      }),
    });
    expect(created.status).toBe(202);
    const sweepId = ((await created.json()) as { id: string }).id;
    const running = async () => {
      const page = await json<{ items: RunView[] }>(`${url}/v1/runs?status=running`);
      return page.items.find((r) => r.step > 0);
    };

    const answers: { path: string; status: number; code?: string; retryAfter: string | null }[] = [];
    for (let outage = 0; outage < 2; outage++) {
      const before = await waitFor("a trial in training", running, 120_000);
      await cluster.stop();
      const stoppedAt = Date.now();
      for (const path of ["/v1/runs", "/v1/status", `/v1/sweeps/${sweepId}`, "/readyz", "/healthz"]) {
        const response = await fetch(`${url}${path}`);
        const text = await response.text();
        const body = (response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : {}) as {
          code?: string;
        };
        answers.push({
          path,
          status: response.status,
          code: body.code,
          retryAfter: response.headers.get("retry-after"),
        });
      }
      // Down for longer than a lease: long enough for every lease in flight to run out.
      await sleep(Math.max(0, LEASE_MS + 1500 - (Date.now() - stoppedAt)));
      await cluster.start();
      // Training goes on after the outage: the run caught in it advances (on its first attempt).
      await waitFor("training after the outage", async () => {
        const run = await json<RunView>(`${url}/v1/runs/${before.id}`);
        return run.step > before.step || run.status !== "running" ? run : undefined;
      });
    }

    expect(answers.filter((a) => a.path !== "/healthz")).toEqual(
      Array(8).fill({ path: expect.any(String), status: 503, code: "STORE_UNAVAILABLE", retryAfter: "5" }),
    );
    expect(answers.filter((a) => a.path === "/healthz").map((a) => a.status)).toEqual([200, 200]);

    const sweep = await waitFor(
      "the sweep's end",
      async () => {
        const view = await json<{ status: string; trialRuns: { runId: string }[] }>(
          `${url}/v1/sweeps/${sweepId}`,
        );
        return view.status === "running" ? undefined : view;
      },
      180_000,
    );
    expect(sweep.status).toBe("succeeded");
    expect(sweep.trialRuns).toHaveLength(3);
    for (const { runId } of sweep.trialRuns) {
      const run = await json<RunView>(`${url}/v1/runs/${runId}`);
      expect(run).toMatchObject({ status: "succeeded", step: TRIAL.steps, attempts: 1 });
      const text = await (await fetch(`${url}/v1/runs/${runId}/events`)).text();
      const types = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
      expect(types.filter((t) => t === "claimed")).toHaveLength(1);
      expect(types.filter((t) => t === "requeued")).toHaveLength(0);
      expect(types.filter((t) => t === "finished")).toHaveLength(1);
    }
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  }, 240_000);
});
