import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { App, AppDeps } from "../../app-types.ts";
import { createTokenCheck, tooManyFailures } from "../../middleware/auth.ts";
import type { AuthFailureLimiter } from "../../middleware/auth-failures.ts";
import { isHttps } from "../../middleware/client-address.ts";
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, type SessionStore } from "../../middleware/sessions.ts";
import { ProblemError, problemResponses } from "../../problem.ts";

const SessionCreateSchema = z
  .object({
    token: z.string().min(1).max(1000).openapi({ description: "one of the service's SWEEPLAB_TOKEN values" }),
  })
  .openapi("SessionCreate");

const createSession = createRoute({
  method: "post",
  operationId: "createSession",
  path: "/v1/session",
  summary: "Log a browser in: trade the token for an HttpOnly session cookie",
  description:
    "Sets `sweeplab_session` (HttpOnly, SameSite=Strict, Path=/), a random id the service keeps in memory; " +
    "requests carrying it are authenticated like a bearer token. The token itself never goes into the cookie. Over " +
    "TLS (or behind a trusted proxy that says so) the cookie is Secure and named `__Host-sweeplab_session`. Wrong " +
    "tokens count against the client's address: past the limit, 429 with Retry-After.",
  request: { body: { required: true, content: { "application/json": { schema: SessionCreateSchema } } } },
  responses: { 204: { description: "logged in; the cookie is set" }, ...problemResponses(400, 401, 429) },
});

const deleteSession = createRoute({
  method: "delete",
  operationId: "deleteSession",
  path: "/v1/session",
  summary: "Log a browser out: forget its session and clear the cookie",
  responses: { 204: { description: "logged out" } },
});

export function registerSessionRoutes(
  app: App,
  deps: AppDeps,
  sessions: SessionStore,
  failures: { limiter: AuthFailureLimiter; clientOf: (c: Context) => string },
) {
  const check = createTokenCheck(deps.config.tokens);
  app.openapi(createSession, (c) => {
    const { token } = c.req.valid("json");
    if (deps.config.tokens.length > 0) {
      const client = failures.clientOf(c);
      const wait = failures.limiter.blockedMs(client);
      if (wait > 0) return tooManyFailures(c, wait);
      if (!check(token)) {
        failures.limiter.fail(client);
        throw new ProblemError(401, "UNAUTHORIZED", "the token is not valid");
      }
      failures.limiter.succeed(client);
    }
    const secure = isHttps(c, deps.config.trustProxy);
    setCookie(c, secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, sessions.create(), {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure,
      maxAge: sessions.ttlSeconds,
    });
    return c.body(null, 204);
  });
  app.openapi(deleteSession, (c) => {
    for (const name of [SESSION_COOKIE, SECURE_SESSION_COOKIE]) {
      const id = getCookie(c, name);
      if (id === undefined) continue;
      sessions.delete(id);
      const secure = name === SECURE_SESSION_COOKIE;
      deleteCookie(c, name, { path: "/", httpOnly: true, sameSite: "Strict", secure });
    }
    return c.body(null, 204);
  });
}
