import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { problemResponse } from "../problem.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Bearer-token auth over every route but the open ones. Tokens are compared as SHA-256 digests with
 * timingSafeEqual, so neither content nor length leaks through timing.
 */
export function bearerAuth(tokens: readonly string[], openPaths: readonly string[]): MiddlewareHandler {
  const expected = tokens.map(digest);
  return async (c, next) => {
    if (expected.length === 0 || openPaths.includes(c.req.path)) return next();
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = match ? digest(match[1]!.trim()) : undefined;
    let ok = false;
    for (const token of expected) if (given && timingSafeEqual(token, given)) ok = true;
    if (!ok) {
      c.header("WWW-Authenticate", 'Bearer realm="sweeplab"');
      return problemResponse(
        c,
        401,
        "UNAUTHORIZED",
        match ? "the bearer token is not valid" : "missing Authorization: Bearer token",
      );
    }
    return next();
  };
}
