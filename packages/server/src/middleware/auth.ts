import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { problemResponse } from "../problem.ts";
import { SESSION_COOKIE, type SessionStore } from "./sessions.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether `given` is one of `tokens`. Compared as SHA-256 digests with timingSafeEqual, so neither content nor
 * length leaks through timing.
 */
export function createTokenCheck(tokens: readonly string[]): (given: string) => boolean {
  const expected = tokens.map(digest);
  return (given) => {
    const hash = digest(given.trim());
    let ok = false;
    for (const token of expected) if (timingSafeEqual(token, hash)) ok = true;
    return ok;
  };
}

/**
 * Bearer-token auth over every route but the open ones. A browser holding a session cookie from
 * `POST /v1/session` passes too, so event streams and image requests need no Authorization header.
 */
export function bearerAuth(
  tokens: readonly string[],
  openPaths: readonly string[] | ((path: string) => boolean),
  sessions?: SessionStore,
): MiddlewareHandler {
  const isOpen = typeof openPaths === "function" ? openPaths : (path: string) => openPaths.includes(path);
  const check = createTokenCheck(tokens);
  return async (c, next) => {
    if (tokens.length === 0 || isOpen(c.req.path)) return next();
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match ? check(match[1]!) : sessions?.has(getCookie(c, SESSION_COOKIE))) return next();
    c.header("WWW-Authenticate", 'Bearer realm="sweeplab"');
    return problemResponse(
      c,
      401,
      "UNAUTHORIZED",
      match ? "the bearer token is not valid" : "missing Authorization: Bearer token (or a session cookie)",
    );
  };
}
