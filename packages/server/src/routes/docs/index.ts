import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { App } from "../../app-types.ts";
import { problemResponse } from "../../problem.ts";

/** swagger-ui-dist's files the page needs, served by the service itself: no CDN, works offline. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const INIT = `window.onload = () => {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
};
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>sweeplab API</title>
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

/** Scripts and styles only from this origin: a page that sees typed-in tokens runs nothing fetched elsewhere. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'";

const assetDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const loaded = new Map<string, Buffer>();

/** GET /docs: Swagger UI from the swagger-ui-dist package, over /openapi.json. */
export function registerDocsRoutes(app: App) {
  app.get("/docs", (c) =>
    c.body(PAGE, 200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": CSP }),
  );
  app.get("/docs/init.js", (c) => c.body(INIT, 200, { "Content-Type": "text/javascript; charset=utf-8" }));
  app.get("/docs/:file", (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return problemResponse(c, 404, "NOT_FOUND", `no docs asset ${file.slice(0, 100)}`);
    let bytes = loaded.get(file);
    if (!bytes) {
      bytes = readFileSync(join(assetDir, file));
      loaded.set(file, bytes);
    }
    return c.body(new Uint8Array(bytes), 200, {
      "Content-Type": type,
      "Cache-Control": "public, max-age=86400",
    });
  });
}
