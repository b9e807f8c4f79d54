// What a hostile client's cheap requests cost the service: framing, huge paths in the logs, slow headers.
import { createConnection } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { startService } from "./service.ts";
import { createTestApp } from "./test-app.ts";
import { createSqliteDatabase } from "./test-support/databases.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("framing", () => {
  it("lets no other origin frame the dashboard, the docs or a plot; an SVG may run nothing", async () => {
    const { app, deps, close } = await createTestApp();
    cleanups.push(close);
    const { run } = await deps.runs.submit({ config: { steps: 10 } as never });
    for (const path of ["/", "/runs/x", "/docs", "/v1/status", "/v1/runs/nope"]) {
      const response = await app.request(path);
      expect(response.headers.get("content-security-policy"), path).toMatch(/frame-ancestors '(self|none)'/);
      expect(response.headers.get("x-frame-options"), path).toBe("SAMEORIGIN");
    }
    // The docs page keeps its own, stricter policy.
    expect((await app.request("/docs")).headers.get("content-security-policy")).toContain(
      "script-src 'self'",
    );
    const svg = await app.request(`/v1/runs/${run.id}/curves.svg`);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    const policy = svg.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'self'");
  });
});

describe("huge paths", () => {
  it("logs and echoes at most 256 characters of an unauthenticated 15 KB path", async () => {
    const { app, deps, close } = await createTestApp({ SWEEPLAB_TOKEN: "s3cret-token" });
    cleanups.push(close);
    const lines: string[] = [];
    deps.log = pino(
      { level: "info" },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const long = `/v1/${"a".repeat(15_000)}`;
    expect((await app.request(long)).status).toBe(401);
    const notFound = await app.request(`/${"b".repeat(15_000)}.js`, {
      headers: { Authorization: "Bearer s3cret-token" },
    });
    const echoed = await app.request(`/v1/runs/${"c".repeat(15_000)}/x`, {
      headers: { Authorization: "Bearer s3cret-token" },
    });
    const { detail } = (await echoed.json()) as { detail: string };
    expect(detail.length).toBeLessThan(400);
    expect(detail).toContain("…(15011 chars)");
    expect(notFound.status).toBeLessThan(500);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.length).toBeLessThan(1000);
  });
});

describe("slow headers", () => {
  it("drops a connection that never finishes its request headers", async () => {
    const db = createSqliteDatabase();
    cleanups.push(() => db.drop());
    const config = loadConfig({
      PORT: "0",
      DATABASE_URL: db.url,
      SWEEPLAB_DATA_DIR: db.url.slice("file:".length).replace(/\/store\.sqlite$/, ""),
      WORKERS: "0",
      SWEEPLAB_LOG_LEVEL: "silent",
    });
    const service = await startService(config);
    cleanups.push(() => service.close());
    const { port } = new URL(service.url);
    const socket = createConnection({ host: "127.0.0.1", port: Number(port) });
    socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString();
    });
    // The service hangs up (408) well before this test's own limit; before, Node's defaults held it for 60-90 s.
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 20_000);
      socket.on("close", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    socket.destroy();
    expect(closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});
