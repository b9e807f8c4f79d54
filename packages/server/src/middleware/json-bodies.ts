import type { MiddlewareHandler } from "hono";
import { problemResponse } from "../problem.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** A route whose body is required, as `POST /v1/runs/{id}/predict`, matched against request paths. */
export interface BodyRoute {
  method: string;
  path: string;
}

function matcher(routes: readonly BodyRoute[]): (method: string, path: string) => boolean {
  const patterns = routes.map((r) => ({
    method: r.method.toUpperCase(),
    path: new RegExp(`^${r.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^/}]+\}/g, "[^/]+")}$`),
  }));
  return (method, path) => patterns.some((p) => p.method === method && p.path.test(path));
}

/**
 * State-changing requests speak JSON: a body of any other type (or of no declared type) is a 415, and so is a
 * missing body where the route requires one, so a form post or a bodiless `fetch` from a web page never reaches
 * a handler with every default filled in. `bodyRoutes` is read on each request, so the app can fill it in once
 * its routes are registered.
 */
export function requireJsonBodies(bodyRoutes: () => readonly BodyRoute[]): MiddlewareHandler {
  let needsBody: ((method: string, path: string) => boolean) | undefined;
  return async (c, next) => {
    if (!STATE_CHANGING.has(c.req.method)) return next();
    const type = c.req.header("content-type");
    const length = c.req.header("content-length");
    const hasBody =
      (length !== undefined && length !== "0") || c.req.header("transfer-encoding") !== undefined;
    needsBody ??= matcher(bodyRoutes());
    if (type === undefined ? hasBody || needsBody(c.req.method, c.req.path) : !JSON_TYPE.test(type)) {
      return problemResponse(
        c,
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        `${c.req.method} ${c.req.path} takes an application/json body${type ? `, not ${type.slice(0, 100)}` : ""}`,
      );
    }
    return next();
  };
}
