import { createRoute, z } from "@hono/zod-openapi";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { App, AppDeps } from "../../app-types.ts";
import { createTokenCheck } from "../../middleware/auth.ts";
import { SESSION_COOKIE, type SessionStore } from "../../middleware/sessions.ts";
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
    "requests carrying it are authenticated like a bearer token. The token itself never goes into the cookie.",
  request: { body: { required: true, content: { "application/json": { schema: SessionCreateSchema } } } },
  responses: { 204: { description: "logged in; the cookie is set" }, ...problemResponses(400, 401) },
});

const deleteSession = createRoute({
  method: "delete",
  operationId: "deleteSession",
  path: "/v1/session",
  summary: "Log a browser out: forget its session and clear the cookie",
  responses: { 204: { description: "logged out" } },
});

export function registerSessionRoutes(app: App, deps: AppDeps, sessions: SessionStore) {
  const check = createTokenCheck(deps.config.tokens);
  app.openapi(createSession, (c) => {
    const { token } = c.req.valid("json");
    if (deps.config.tokens.length > 0 && !check(token))
      throw new ProblemError(401, "UNAUTHORIZED", "the token is not valid");
    setCookie(c, SESSION_COOKIE, sessions.create(), {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure: new URL(c.req.url).protocol === "https:",
      maxAge: sessions.ttlSeconds,
    });
    return c.body(null, 204);
  });
  app.openapi(deleteSession, (c) => {
    sessions.delete(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "Strict" });
    return c.body(null, 204);
  });
}
