import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp } from "./test-app.ts";
import { DIALECTS, type TestDatabase } from "./test-support/databases.ts";

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "Content-Type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as {
    status: number;
    code: string;
    detail: string;
    requestId: string;
    errors?: unknown[];
  };
}

describe.each(DIALECTS)("on $dialect", ({ dialect, create }) => {
  const opened: { close(): Promise<void>; db: TestDatabase }[] = [];
  afterEach(async () => {
    for (const { close, db } of opened.splice(0)) {
      await close();
      await db.drop();
    }
  });
  /** An app over a fresh database of this dialect. */
  async function createTestAppOn(env: Record<string, string> = {}) {
    const db = await create();
    const test = await createTestApp({ DATABASE_URL: db.url, ...env });
    opened.push({ close: test.close, db });
    return test;
  }

  describe("runs API", () => {
    it("queues a run with the RunConfig defaults filled in, in a real SQLite file", async () => {
      const { app, deps } = await createTestAppOn();
      const response = await app.request("/v1/runs", post({ config: { steps: 20 }, name: "a", tags: ["x"] }));
      expect(response.status).toBe(202);
      const run = (await response.json()) as {
        id: string;
        status: string;
        config: { batchSize: number; steps: number };
      };
      expect(run).toMatchObject({ status: "queued", config: { batchSize: 256, steps: 20 } });
      expect(response.headers.get("location")).toBe(`/v1/runs/${run.id}`);
      expect(deps.store.dialect).toBe(dialect);
      if (dialect === "sqlite") expect(existsSync(deps.store.location)).toBe(true);
      const fetched = await app.request(`/v1/runs/${run.id}`);
      expect(await fetched.json()).toMatchObject({ id: run.id, name: "a", tags: ["x"] });
    });

    it("lists every invalid field in one validation problem", async () => {
      const { app } = await createTestAppOn();
      const response = await app.request(
        "/v1/runs",
        post({ config: { steps: 0, batchSize: 99999, model: { kind: "mlp", activation: "nope" } } }),
      );
      expect(response.status).toBe(400);
      const body = await problem(response);
      expect(body.code).toBe("VALIDATION_FAILED");
      expect((body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
        "config.batchSize",
        "config.model.activation",
        "config.steps",
      ]);
      expect(body.requestId).toBe(response.headers.get("x-request-id"));
    });

    it("answers malformed JSON, unknown runs and unknown routes with problems", async () => {
      const { app } = await createTestAppOn();
      expect((await problem(await app.request("/v1/runs", post("{not json")))).status).toBe(400);
      expect(await problem(await app.request("/v1/runs/run_missing"))).toMatchObject({
        status: 404,
        code: "RUN_NOT_FOUND",
      });
      expect(await problem(await app.request("/v2/nothing"))).toMatchObject({
        status: 404,
        code: "NOT_FOUND",
      });
    });

    it("refuses folder and URL datasets unless the service allows them", async () => {
      const body = { config: { dataset: { kind: "folder", path: "/etc" } } };
      const refused = await (await createTestAppOn()).app.request("/v1/runs", post(body));
      expect(await problem(refused)).toMatchObject({ status: 403, code: "DATASET_NOT_ALLOWED" });
      const allowed = await (await createTestAppOn({ SWEEPLAB_ALLOW_CUSTOM_DATASETS: "1" })).app.request(
        "/v1/runs",
        post(body),
      );
      expect(allowed.status).toBe(202);
    });

    it("refuses bodies over the limit with 413", async () => {
      const { app } = await createTestAppOn({ SWEEPLAB_MAX_BODY_BYTES: "2048" });
      const response = await app.request("/v1/runs", post({ name: "x".repeat(5000) }));
      expect(await problem(response)).toMatchObject({ status: 413, code: "BODY_TOO_LARGE" });
    });

    it("returns the same run for a repeated Idempotency-Key, and one run per key under concurrency", async () => {
      const { app } = await createTestAppOn();
      const submit = (key: string) =>
        app.request("/v1/runs", post({ config: { steps: 5 } }, { "Idempotency-Key": key }));
      const first = (await (await submit("k-1")).json()) as { id: string };
      const again = (await (await submit("k-1")).json()) as { id: string };
      expect(again.id).toBe(first.id);
      const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => submit(`c-${i % 100}`)));
      const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
      expect(new Set(ids).size).toBe(100);
    });

    it("refuses an Idempotency-Key reused with a different body (422)", async () => {
      const { app } = await createTestAppOn();
      const submit = (steps: number) =>
        app.request("/v1/runs", post({ config: { steps } }, { "Idempotency-Key": "same" }));
      expect((await submit(5)).status).toBe(202);
      expect(await problem(await submit(6))).toMatchObject({ status: 422, code: "IDEMPOTENCY_KEY_REUSED" });
    });

    it("shows the queue depth in /metrics as runs are submitted and canceled", async () => {
      const { app } = await createTestAppOn();
      const depth = async () =>
        Number(/^sweeplab_queue_depth (\d+)$/m.exec(await (await app.request("/metrics")).text())?.[1]);
      expect(await depth()).toBe(0);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push(((await (await app.request("/v1/runs", post({}))).json()) as { id: string }).id);
      expect(await depth()).toBe(3);
      await app.request(`/v1/runs/${ids[0]}/cancel`, { method: "POST" });
      expect(await depth()).toBe(2);
    });

    it("pages through runs with a cursor, filters by tag and status", async () => {
      const { app } = await createTestAppOn();
      for (let i = 0; i < 5; i++)
        await app.request("/v1/runs", post({ config: { steps: 5 }, tags: [i % 2 ? "odd" : "even"] }));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (await (
          await app.request(`/v1/runs?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
        ).json()) as {
          items: { id: string }[];
          nextCursor: string | null;
        };
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(5);
      const odd = (await (await app.request("/v1/runs?tag=odd")).json()) as { items: unknown[] };
      expect(odd.items).toHaveLength(2);
      const bad = await app.request("/v1/runs?cursor=garbage");
      expect(await problem(bad)).toMatchObject({ status: 400, code: "INVALID_CURSOR" });
    });

    it("cancels a queued run and only then lets it be deleted", async () => {
      const { app } = await createTestAppOn();
      const { id } = (await (await app.request("/v1/runs", post({}))).json()) as { id: string };
      expect(await problem(await app.request(`/v1/runs/${id}`, { method: "DELETE" }))).toMatchObject({
        status: 409,
      });
      const canceled = await app.request(`/v1/runs/${id}/cancel`, { method: "POST" });
      expect(await canceled.json()).toMatchObject({ status: "canceled" });
      expect((await app.request(`/v1/runs/${id}`, { method: "DELETE" })).status).toBe(204);
      expect((await app.request(`/v1/runs/${id}`)).status).toBe(404);
    });

    it("describes every route in the OpenAPI document", async () => {
      const { app } = await createTestAppOn();
      const doc = (await (await app.request("/openapi.json")).json()) as {
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      expect(Object.keys(doc.paths).sort()).toEqual(
        [
          "/docs",
          "/healthz",
          "/openapi.json",
          "/readyz",
          "/v1/runs",
          "/v1/runs/{id}",
          "/v1/runs/{id}/cancel",
          "/v1/runs/{id}/curves.png",
          "/v1/runs/{id}/curves.svg",
          "/v1/runs/{id}/evaluation",
          "/v1/runs/{id}/events",
          "/v1/runs/{id}/metrics",
          "/v1/runs/{id}/model",
          "/v1/runs/{id}/model/weights.bin",
          "/v1/runs/{id}/predict",
          "/v1/session",
          "/v1/sweeps",
          "/v1/sweeps/{id}",
          "/v1/sweeps/{id}/cancel",
          "/v1/sweeps/{id}/events",
          "/v1/sweeps/{id}/leaderboard",
          "/v1/sweeps/{id}/plots/{kind}",
          "/v1/sweeps/{id}/trials",
          "/v1/status",
        ].sort(),
      );
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(["RunConfig", "ResolvedRunConfig", "Run", "RunEvent", "Problem", "ModelSpec"]),
      );
      expect((await app.request("/docs")).status).toBe(200);
    });
  });

  describe("auth", () => {
    it("requires a bearer token from the configured list on every route but /healthz", async () => {
      const { app } = await createTestAppOn({ SWEEPLAB_TOKEN: "alpha, beta" });
      expect((await app.request("/healthz")).status).toBe(200);
      expect(await problem(await app.request("/v1/status"))).toMatchObject({
        status: 401,
        code: "UNAUTHORIZED",
      });
      const wrong = await app.request("/v1/runs", { headers: { Authorization: "Bearer gamma" } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get("www-authenticate")).toContain("Bearer");
      expect((await app.request("/v1/runs", { headers: { Authorization: "Bearer beta" } })).status).toBe(200);
    });
  });
});

describe("config", () => {
  it("reports every bad setting at once", async () => {
    const { loadConfig } = await import("./config.ts");
    expect(() => loadConfig({ PORT: "http", WORKERS: "100" })).toThrow(
      /PORT[\s\S]*WORKERS|WORKERS[\s\S]*PORT/,
    );
  });
});
