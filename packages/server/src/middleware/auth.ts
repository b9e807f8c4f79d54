import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { problemResponse } from "../problem.ts";
import type { AuthFailureLimiter } from "./auth-failures.ts";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, type SessionStore } from "./sessions.ts";

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

/** Refuses a client that failed to authenticate too often: 429 with Retry-After, and the time left. */
export function tooManyFailures(c: Context, waitMs: number) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  c.header("Retry-After", String(seconds));
  return problemResponse(
    c,
    429,
    "TOO_MANY_AUTH_FAILURES",
    `too many failed authentications from this address; retry in ${seconds} s`,
  );
}

/**
 * Bearer-token auth over every route but the open ones. A browser holding a session cookie from
 * `POST /v1/session` passes too, so event streams and image requests need no Authorization header. With
 * `failures`, wrong bearer tokens count against the client's address, and an address past its limit is refused
 * (429) before its token is even looked at. Session ids are 256 random bits, not worth guessing: an unknown cookie
 * (a stale one after a restart, say) is a 401 that counts for nothing.
 */
export function bearerAuth(
  tokens: readonly string[],
  openPaths: readonly string[] | ((path: string) => boolean),
  sessions?: SessionStore,
  failures?: { limiter: AuthFailureLimiter; clientOf: (c: Context) => string },
): MiddlewareHandler {
  const isOpen = typeof openPaths === "function" ? openPaths : (path: string) => openPaths.includes(path);
  const check = createTokenCheck(tokens);
  return async (c, next) => {
    if (tokens.length === 0 || isOpen(c.req.path)) return next();
    const header = c.req.header("Authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const cookie = (name: string) => sessions?.has(getCookie(c, name)) ?? false;
    if (!match && (cookie(SESSION_COOKIE) || cookie(SECURE_SESSION_COOKIE))) return next();
    const client = match && failures ? failures.clientOf(c) : undefined;
    if (client !== undefined) {
      const wait = failures!.limiter.blockedMs(client);
      if (wait > 0) return tooManyFailures(c, wait);
    }
    if (match && check(match[1]!)) {
      if (client !== undefined) failures!.limiter.succeed(client);
      return next();
    }
    if (client !== undefined) failures!.limiter.fail(client);
    c.header("WWW-Authenticate", 'Bearer realm="sweeplab"');
    return problemResponse(
      c,
      401,
      "UNAUTHORIZED",
      match ? "the bearer token is not valid" : "missing Authorization: Bearer token (or a session cookie)",
    );
  };
}
