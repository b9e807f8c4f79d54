import { describe, expect, it } from "vitest";
import { createTestApp } from "../../test-app.ts";

describe("/docs", () => {
  it("serves Swagger UI and every asset it loads from this origin, with no network", async () => {
    const { app } = await createTestApp();
    const page = await app.request("/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    // Same-origin paths only: nothing from a CDN or any other host.
    for (const url of urls) expect(url, url).toMatch(/^\/docs\/[\w.-]+$/);
    const sizes: Record<string, number> = {};
    for (const url of urls) {
      const asset = await app.request(url);
      expect(asset.status, url).toBe(200);
      sizes[url] = (await asset.arrayBuffer()).byteLength;
    }
    expect(sizes["/docs/swagger-ui-bundle.js"]).toBeGreaterThan(500_000);
    expect(sizes["/docs/swagger-ui.css"]).toBeGreaterThan(50_000);
    const init = await (await app.request("/docs/init.js")).text();
    expect(init).toContain('url: "/openapi.json"');
    expect((await app.request("/openapi.json")).status).toBe(200);
    expect((await app.request("/docs/package.json")).status).toBe(404);
    expect((await app.request("/docs/..%2Fpackage.json")).status).toBe(404);
  });
});
