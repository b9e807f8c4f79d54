import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../../app.ts";
import { createTestApp } from "../../test-app.ts";

function dashboardDir() {
  const dir = mkdtempSync(join(tmpdir(), "sweeplab-ui-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>sweeplab</title>");
  writeFileSync(join(dir, "assets", "index-abc123.js"), "console.log(1)");
  writeFileSync(join(dir, "assets", "index-abc123.css"), "body{}");
  return dir;
}

const appWith = async (dir: string, env: Record<string, string> = {}) =>
  createApp((await createTestApp(env)).deps, { dashboardDir: dir });

describe("dashboard files", () => {
  it("serves index.html at / without auth, not cached", async () => {
    const app = await appWith(dashboardDir(), { SWEEPLAB_TOKEN: "secret" });
    const res = await app.request("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toContain("<title>sweeplab</title>");
  });

  it("serves hashed assets with their content type, cached for a year", async () => {
    const app = await appWith(dashboardDir());
    const js = await app.request("/assets/index-abc123.js");
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await js.text()).toBe("console.log(1)");
    const css = await app.request("/assets/index-abc123.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("answers the app's own paths with index.html (SPA fallback), a missing asset with 404", async () => {
    const app = await appWith(dashboardDir());
    const page = await app.request("/runs/run_123");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>sweeplab</title>");
    expect((await app.request("/assets/gone-000.js")).status).toBe(404);
  });

  it("never serves a file outside the folder", async () => {
    const app = await appWith(dashboardDir());
    // URL parsing resolves %2e%2e segments before the app sees them: this one arrives as /etc/passwd.
    const resolved = await app.request("/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd");
    expect(await resolved.text()).toContain("<title>sweeplab</title>");
    // Encoded slashes survive URL parsing; decoded they climb out, so they get a 404 problem.
    for (const path of ["/..%2f..%2f..%2fetc%2fpasswd", "/assets/..%2f..%2fpackage.json", "/%zz"]) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("leaves API paths to the API: unknown ones stay problem+json 404s, auth still applies", async () => {
    const app = await appWith(dashboardDir(), { SWEEPLAB_TOKEN: "secret" });
    const unknown = await app.request("/v1/nope", { headers: { Authorization: "Bearer secret" } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect((await app.request("/v1/runs")).status).toBe(401);
    // The API's document and docs page hold no secret: open, so Swagger UI's Authorize works.
    expect((await app.request("/openapi.json")).status).toBe(200);
    expect((await app.request("/healthz")).status).toBe(200);
  });

  it("says how to build the dashboard when it is missing, instead of failing", async () => {
    const app = await appWith(join(tmpdir(), "sweeplab-no-such-dashboard"));
    const res = await app.request("/");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("pnpm --filter @sweeplab/dashboard build");
  });
});
