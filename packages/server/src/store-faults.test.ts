// A store outage seen from the API: PostgreSQL behind a TCP forwarder that the test takes down and brings back.
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp } from "./test-app.ts";
import { createPostgresDatabase, TEST_DATABASE_URL } from "./test-support/databases.ts";
import { startTcpProxy } from "./test-support/tcp-proxy.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!TEST_DATABASE_URL)("while PostgreSQL cannot be reached", () => {
  it("answers 503 STORE_UNAVAILABLE with Retry-After, /readyz says so, /healthz stays alive; both recover", async () => {
    const db = await createPostgresDatabase();
    cleanups.push(() => db.drop());
    const direct = new URL(db.url);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    const { app, close } = await createTestApp({ DATABASE_URL: viaProxy.toString() });
    cleanups.push(close);

    expect((await app.request("/readyz")).status).toBe(200);
    expect(await (await app.request("/readyz")).json()).toEqual({ ready: true, store: "postgres" });

    await proxy.down();
    for (const path of ["/v1/runs", "/v1/status", "/readyz"]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(503);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      const problem = (await response.json()) as { code: string; detail: string };
      expect(problem.code).toBe("STORE_UNAVAILABLE");
      // The detail names the store, without its password.
      expect(problem.detail).toContain(`127.0.0.1:${proxy.port}`);
      expect(problem.detail).not.toContain(":postgres@");
    }
    const created = await app.request("/v1/runs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ config: { steps: 10 } }),
    });
    expect(created.status).toBe(503);
    expect((await app.request("/healthz")).status).toBe(200);

    await proxy.up();
    expect((await app.request("/readyz")).status).toBe(200);
    expect((await app.request("/v1/runs")).status).toBe(200);
  });
});
