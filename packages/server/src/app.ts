import { createRequire } from "node:module";
import { OpenAPIHono } from "@hono/zod-openapi";
import { describeIssues, isCoreError } from "@sweeplab/core";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { AppDeps, AppEnv } from "./app-types.ts";
import { isLoopbackHost } from "./config.ts";
import { type DomainErrorCode, isDomainError } from "./domain-error.ts";
import { bearerAuth } from "./middleware/auth.ts";
import { createAuthFailureLimiter } from "./middleware/auth-failures.ts";
import { clientAddress } from "./middleware/client-address.ts";
import { type BodyRoute, requireJsonBodies } from "./middleware/json-bodies.ts";
import { rejectNulCharacters } from "./middleware/nul-characters.ts";
import { originGuard } from "./middleware/origin.ts";
import { loggedPath, securityHeaders } from "./middleware/security-headers.ts";
import { createSessionStore } from "./middleware/sessions.ts";
import { completeDocument } from "./openapi/complete-document.ts";
import { allowedMethods } from "./openapi/method-not-allowed.ts";
import { ProblemError, problemResponse } from "./problem.ts";
import { registerDocsRoutes } from "./routes/docs/index.ts";
import { registerOutputSchemas } from "./routes/output-schemas.ts";
import { registerRunRoutes } from "./routes/runs/index.ts";
import { registerSessionRoutes } from "./routes/session/index.ts";
import { registerSweepRoutes } from "./routes/sweeps/index.ts";
import { IMPORT_PATH, importBodyLimit } from "./routes/sweeps/share.ts";
import { registerSystemRoutes } from "./routes/system/index.ts";
import { registerMetricsRoute } from "./routes/system/metrics.ts";
import { isApiPath, registerUiRoutes } from "./routes/ui/index.ts";
import { StoreConflictError } from "./store/store.ts";
import { storeFaultProblem } from "./store-faults.ts";

/**
 * Open without auth: liveness and readiness, logging in and out, the API's document and docs page (they hold no
 * secret, and Swagger UI's Authorize then works), and the dashboard's files (it asks for the token itself).
 */
const isOpenPath = (path: string) =>
  path === "/healthz" ||
  path === "/readyz" ||
  path === "/v1/session" ||
  path === "/openapi.json" ||
  path === "/docs" ||
  path.startsWith("/docs/") ||
  !isApiPath(path);

export interface AppOptions {
  /** The built dashboard; default packages/server/dist/dashboard. */
  dashboardDir?: string;
}

/** The one version of the API and its document: the server package's. */
const SERVER_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

const CONFLICT_STATUS = {
  RUN_FINISHED: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  SWEEP_ACTIVE: 409,
  SWEEP_STOPPING: 409,
} as const;
/** The HTTP status of each domain refusal: the one place the domain's codes meet HTTP. */
const DOMAIN_STATUS = {
  RUN_NOT_FOUND: 404,
  RUN_ACTIVE: 409,
  DATASET_NOT_ALLOWED: 403,
  RUN_TOO_LARGE: 422,
  QUEUE_FULL: 429,
  IDEMPOTENCY_KEY_RESERVED: 400,
  INVALID_SWEEP: 400,
  TOO_MANY_STREAMS: 429,
  STREAMS_EXHAUSTED: 503,
  NOTHING_TO_RETRY: 409,
  SWEEP_NOT_FOUND: 404,
} as const satisfies Record<DomainErrorCode, number>;

/** Builds the HTTP app over its dependencies; no module-level state, so tests build as many as they like. */
export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const sessions = createSessionStore();
  // Wrong tokens, per client address: bearer tokens and logins share one count.
  const authFailures = {
    limiter: createAuthFailureLimiter({
      maxFailures: deps.config.authMaxFailures,
      windowMs: deps.config.authWindowMs,
    }),
    clientOf: (c: Context) => clientAddress(c, deps.config.trustProxy),
  };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = describeIssues(result.error.issues);
      const where = result.target === "json" ? "request body" : result.target;
      return problemResponse(
        c,
        400,
        "VALIDATION_FAILED",
        `${where} is invalid: ${errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; ")}`,
        errors,
      );
    },
  });

  app.use(requestId());
  app.use(securityHeaders());
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: loggedPath(c.req.path),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  });
  app.use(
    originGuard({
      allowedOrigins: deps.config.allowedOrigins,
      loopbackHostsOnly: deps.config.checkHost && isLoopbackHost(deps.config.host),
    }),
  );
  app.use(bearerAuth(deps.config.tokens, isOpenPath, sessions, authFailures));
  const requestBodyLimit = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: (c) =>
      problemResponse(
        c,
        413,
        "BODY_TOO_LARGE",
        `request bodies are limited to ${deps.config.maxBodyBytes} bytes`,
      ),
  });
  // A sweep export file has a limit of its own (routes/sweeps/share.ts).
  const importLimit = importBodyLimit(deps.config.maxImportBytes);
  app.use((c, next) =>
    c.req.method === "POST" && c.req.path === IMPORT_PATH ? importLimit(c, next) : requestBodyLimit(c, next),
  );

  const bodyRoutes: BodyRoute[] = [];
  app.use(requireJsonBodies(() => bodyRoutes));
  app.use(rejectNulCharacters());

  registerSystemRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerSweepRoutes(app, deps);
  registerMetricsRoute(app, deps);
  registerSessionRoutes(app, deps, sessions, authFailures);
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type === "route" && definition.route.request?.body?.required)
      bodyRoutes.push(definition.route);
  }

  let document: unknown;
  app.get("/openapi.json", (c) => {
    document ??= completeDocument(
      app.getOpenAPI31Document({
        openapi: "3.1.0",
        info: {
          title: "sweeplab",
          version: SERVER_VERSION,
          description:
            "Train and compare MNIST-style classifiers: runs, their live events, metrics, curves and models.",
        },
      }) as unknown as Record<string, unknown>,
      SERVER_VERSION,
    );
    return c.json(document);
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  registerOutputSchemas(app.openAPIRegistry);
  registerDocsRoutes(app);
  registerUiRoutes(app, options.dashboardDir);

  app.notFound((c) => {
    const allowed = allowedMethods(app.routes, c.req.path).filter((m) => m !== c.req.method);
    if (allowed.length > 0 && isApiPath(c.req.path)) {
      c.header("Allow", allowed.join(", "));
      return problemResponse(
        c,
        405,
        "METHOD_NOT_ALLOWED",
        `${loggedPath(c.req.path)} takes ${allowed.join(", ")}, not ${c.req.method}`,
      );
    }
    return problemResponse(c, 404, "NOT_FOUND", `no route for ${c.req.method} ${loggedPath(c.req.path)}`);
  });
  app.onError((error, c) => {
    if (error instanceof ProblemError)
      return problemResponse(c, error.status, error.code, error.message, error.errors);
    if (isDomainError(error)) {
      if (error.retryAfterS !== undefined) c.header("Retry-After", String(error.retryAfterS));
      return problemResponse(c, DOMAIN_STATUS[error.code], error.code, error.message);
    }
    if (error instanceof StoreConflictError) {
      return problemResponse(c, CONFLICT_STATUS[error.code], error.code, error.message);
    }
    if (isCoreError(error)) {
      const errors = (error.details?.issues as { path: string; message: string }[] | undefined) ?? undefined;
      return problemResponse(c, 400, error.code, error.message, errors);
    }
    if (error instanceof HTTPException) {
      const status = error.status === 500 ? 400 : error.status;
      return problemResponse(
        c,
        status,
        status === 400 ? "BAD_REQUEST" : "HTTP_ERROR",
        error.message || "bad request",
      );
    }
    const storeFault = storeFaultProblem(c, error, deps.store.location, deps.log);
    if (storeFault) return storeFault;
    deps.log.error(
      { requestId: c.get("requestId"), method: c.req.method, path: loggedPath(c.req.path), err: error },
      "unhandled",
    );
    return problemResponse(
      c,
      500,
      "INTERNAL",
      "an unexpected error occurred; the request id identifies it in the log",
    );
  });
  return app;
}
