import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Context } from "hono";
import type { App } from "../../app-types.ts";

/** Where `pnpm --filter @sweeplab/dashboard build` writes the dashboard (the root postinstall runs it). */
export const DASHBOARD_DIR = fileURLToPath(new URL("../../../dist/dashboard", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

/** Paths the dashboard never answers: the API (any version), its document and docs page, liveness and readiness. */
export const isApiPath = (path: string) =>
  /^\/v\d+(\/|$)/.test(path) || ["/openapi.json", "/docs", "/healthz", "/readyz", "/metrics"].includes(path);

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>sweeplab: dashboard not built</title>
<body style="font-family:system-ui;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>The dashboard has not been built</h1>
<p>This service serves its dashboard from <code>packages/server/dist/dashboard</code>, which is missing.
<code>pnpm install</code> builds it; to build it alone, run:</p>
<pre>pnpm --filter @sweeplab/dashboard build</pre>
<p>The API works meanwhile: <a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a>.</p></body>`;

async function sendFile(c: Context, file: string, cache: string) {
  const body = await readFile(file);
  return c.body(body, 200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Cache-Control": cache,
    "X-Content-Type-Options": "nosniff",
  });
}

/**
 * Serves the built dashboard at `/`: files under `assets/` carry a content hash in their names and are cached
 * for a year; any other GET that is not an API path gets index.html (the app routes in the browser), never
 * cached so a new build is picked up at once. Register after every API route.
 */
export function registerUiRoutes(app: App, dir: string = DASHBOARD_DIR) {
  app.get("*", async (c) => {
    const path = c.req.path;
    if (isApiPath(path)) return c.notFound();
    const index = join(dir, "index.html");
    if (!existsSync(index)) return c.html(NOT_BUILT, 503, { "Cache-Control": "no-store" });
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return c.notFound();
    }
    // Dot-dot segments are probes, not app routes: a 404 problem, never the app or a file outside `dir`.
    if (decoded.split(/[/\\]/).includes("..")) return c.notFound();
    const file = normalize(join(dir, decoded));
    if (file.startsWith(dir + sep) && (await stat(file).catch(() => null))?.isFile()) {
      const hashed = path.startsWith("/assets/");
      return sendFile(c, file, hashed ? "public, max-age=31536000, immutable" : "no-cache");
    }
    // A missing hashed asset is a 404, not the app: a stale page must not parse HTML as a script.
    if (path.startsWith("/assets/")) return c.notFound();
    return sendFile(c, index, "no-cache");
  });
}
