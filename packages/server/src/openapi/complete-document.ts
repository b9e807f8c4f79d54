import type { ErrorCode } from "@sweeplab/contract";
import examples from "./examples.json" with { type: "json" };

// The OpenAPI document as the routes generate it, completed with what every operation shares: the statuses any
// request can meet (403 from the host and origin checks, 429 and 503 with Retry-After, 500, 507), 413 and 415 for
// bodies, x-request-id on every response, the public operations' `security: []`, `servers`, one version, and a
// real request and response example per operation (examples.json, captured from a real service).

type Json = Record<string, unknown>;
type Document = Json & { info: Json; paths: Record<string, Record<string, Operation>>; components?: Json };
interface Operation {
  operationId?: string;
  security?: unknown[];
  requestBody?: { content?: Record<string, Json> };
  responses: Record<string, Json>;
  [key: string]: unknown;
}

const PROBLEM = "application/problem+json";
const problemSchema = { $ref: "#/components/schemas/Problem" };
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** The problem a status most often carries, for examples (the operation's own codes are in its description). */
function exampleCode(status: number, path: string): ErrorCode {
  const byStatus: Record<number, ErrorCode> = {
    400: "VALIDATION_FAILED",
    401: "UNAUTHORIZED",
    403: "HOST_NOT_ALLOWED",
    404: path.startsWith("/v1/sweeps/")
      ? "SWEEP_NOT_FOUND"
      : path.startsWith("/v1/runs/")
        ? "RUN_NOT_FOUND"
        : "NOT_FOUND",
    409: path.startsWith("/v1/sweeps/")
      ? "SWEEP_FINISHED"
      : path.includes("/model") || path.includes("/evaluation") || path.includes("/predict")
        ? "RUN_NOT_FINISHED"
        : "RUN_ACTIVE",
    413: "BODY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "IDEMPOTENCY_KEY_REUSED",
    429: "QUEUE_FULL",
    500: "INTERNAL",
    503: "STORE_UNAVAILABLE",
    507: "STORAGE_FULL",
  };
  return byStatus[status] ?? "HTTP_ERROR";
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  507: "Insufficient Storage",
};

function problemExample(status: number, path: string): Json {
  const code = exampleCode(status, path);
  return {
    type: `https://sweeplab.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail: DETAILS[code] ?? TITLES[status] ?? "error",
    code,
    requestId: "5f0c6c2e-8d1e-4d84-9a57-3c1f5d0e2b71",
  };
}

const DETAILS: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: "request body is invalid: config.steps: Too small: expected number to be >=1",
  UNAUTHORIZED: "missing Authorization: Bearer token (or a session cookie)",
  HOST_NOT_ALLOWED: "Host evil.example is not this service's (DNS rebinding?)",
  NOT_FOUND: "no route for GET /v1/nope",
  RUN_NOT_FOUND: "no run run_0123456789abcdef0123",
  SWEEP_NOT_FOUND: "no sweep swp_0123456789abcdef0123",
  RUN_ACTIVE: "run run_0123456789abcdef0123 is running: cancel it first",
  RUN_NOT_FINISHED: "run run_0123456789abcdef0123 is running: it has no model yet",
  SWEEP_FINISHED: "sweep swp_0123456789abcdef0123 is succeeded already",
  BODY_TOO_LARGE: "request bodies are limited to 1048576 bytes",
  UNSUPPORTED_MEDIA_TYPE: "send the body as application/json",
  IDEMPOTENCY_KEY_REUSED: "this Idempotency-Key was used with another body",
  QUEUE_FULL: "the queue holds 1000 runs: try again later",
  INTERNAL: "an unexpected error occurred; the request id identifies it in the log",
  STORE_UNAVAILABLE: "the store is not answering: try again shortly",
  STORAGE_FULL: "the store cannot write: its disk is full; free space there, then retry",
};

/**
 * Responses every operation can give, whatever it does: 400 too, since a NUL character anywhere in a URL (or a
 * body) is refused at the edge before any route sees it, besides each operation's own checks of its query or body.
 */
function sharedResponses(secured: boolean, hasBody: boolean): Record<string, Json> {
  const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });
  return {
    400: ref("BadRequest"),
    ...(secured ? { 401: ref("Unauthorized") } : {}),
    403: ref("Forbidden"),
    ...(hasBody ? { 413: ref("ContentTooLarge"), 415: ref("UnsupportedMediaType") } : {}),
    429: ref("TooManyRequests"),
    500: ref("InternalError"),
    503: ref("ServiceUnavailable"),
    507: ref("InsufficientStorage"),
  };
}

function problemResponse(status: number, description: string, retryAfter = false): Json {
  return {
    description,
    headers: {
      "x-request-id": header("RequestId"),
      ...(retryAfter ? { "Retry-After": header("RetryAfter") } : {}),
    },
    content: { [PROBLEM]: { schema: problemSchema, example: problemExample(status, "/v1/runs") } },
  };
}

const COMPONENT_RESPONSES = {
  BadRequest: problemResponse(
    400,
    "The query, the path or the body is invalid (VALIDATION_FAILED, with errors[]), or holds a NUL character (BAD_REQUEST)",
  ),
  Unauthorized: {
    ...problemResponse(401, "No valid bearer token (or session cookie)"),
    headers: {
      "x-request-id": header("RequestId"),
      "WWW-Authenticate": { description: 'Bearer realm="sweeplab"', schema: { type: "string" } },
    },
  },
  Forbidden: problemResponse(
    403,
    "The request's Host (HOST_NOT_ALLOWED: a DNS-rebinding guard on a loopback service) or Origin (ORIGIN_NOT_ALLOWED) is not allowed",
  ),
  ContentTooLarge: problemResponse(413, "The body is larger than the service takes (BODY_TOO_LARGE)"),
  UnsupportedMediaType: problemResponse(415, "The body is not application/json (UNSUPPORTED_MEDIA_TYPE)"),
  TooManyRequests: problemResponse(
    429,
    "Too much at once: the queue is full (QUEUE_FULL), this sweep has too many event streams (TOO_MANY_STREAMS), or this address failed authentication too often (TOO_MANY_AUTH_FAILURES); Retry-After says when to try again",
    true,
  ),
  InternalError: problemResponse(
    500,
    "An unexpected error (INTERNAL); the request id finds it in the service's log",
  ),
  ServiceUnavailable: problemResponse(
    503,
    "The service cannot answer for now: its store is unreachable (STORE_UNAVAILABLE), or it holds as many event streams as it serves (STREAMS_EXHAUSTED); Retry-After says when to try again",
    true,
  ),
  InsufficientStorage: problemResponse(
    507,
    "The store cannot write: the disk holding it is full (STORAGE_FULL); the service's status says so too",
  ),
};

const PUBLIC_PATHS: Record<string, Record<string, Operation>> = {
  "/openapi.json": {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This OpenAPI document, without auth",
      tags: ["system"],
      security: [],
      responses: {
        200: {
          description: "the OpenAPI 3.1 document",
          content: { "application/json": { schema: { type: "object" }, example: { openapi: "3.1.0" } } },
        },
      },
    },
  },
  "/docs": {
    get: {
      operationId: "getDocs",
      summary: "Swagger UI over this document, without auth (Authorize takes a token for Try it out)",
      tags: ["system"],
      security: [],
      responses: {
        200: {
          description: "the docs page",
          content: { "text/html": { schema: { type: "string" }, example: "<!doctype html>…" } },
        },
      },
    },
  },
};

/** Completes the generated document; `version` is the server package's, the one version the API has. */
export function completeDocument(generated: Json, version: string): Json {
  const doc = structuredClone(generated) as Document;
  doc.info = {
    ...doc.info,
    version,
    license: { name: "MIT", identifier: "MIT" },
    description: `${String(doc.info.description ?? "")}\n\nEvery error is an RFC 9457 problem (application/problem+json) whose \`code\` is one of ErrorCode. Every response carries x-request-id. A method a path does not take is a 405 with Allow. /healthz, /openapi.json, /docs and POST/DELETE /v1/session need no token.`,
  };
  doc.servers = [{ url: "/", description: "the service that serves this document" }];
  doc.security = [{ bearer: [] }];
  doc.components ??= {};
  const components = doc.components as Record<string, Json>;
  components.headers = {
    ...components.headers,
    RequestId: {
      description: "This request's id (also the problem's requestId): the service logs it with the request",
      schema: { type: "string" },
    },
    RetryAfter: {
      description: "Seconds to wait before trying again",
      schema: { type: "integer", minimum: 0 },
    },
  };
  components.responses = { ...components.responses, ...COMPONENT_RESPONSES };
  doc.paths = { ...doc.paths, ...structuredClone(PUBLIC_PATHS) };
  const known = examples as Record<string, { request?: unknown; response?: unknown }>;

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const operation of Object.values(item)) {
      const secured = (operation.security?.length ?? 0) > 0;
      if (!secured) operation.security = [];
      const hasBody = operation.requestBody !== undefined;
      const example = operation.operationId ? known[operation.operationId] : undefined;
      for (const [status, response] of Object.entries(operation.responses)) {
        response.headers = { "x-request-id": header("RequestId"), ...(response.headers as Json | undefined) };
        const content = response.content as Record<string, Json> | undefined;
        if (content?.[PROBLEM]) content[PROBLEM].example = problemExample(Number(status), path);
        else if (content && Number(status) < 300 && example?.response !== undefined) {
          for (const media of Object.values(content)) media.example = example.response;
        }
      }
      for (const [status, response] of Object.entries(sharedResponses(secured, hasBody))) {
        operation.responses[status] ??= response;
      }
      const stream = operation.responses["200"]?.content as Record<string, Json> | undefined;
      if (operation.operationId === "getRunEvents" && stream?.["text/event-stream"]) {
        // Each event's data is a RunEvent without its `type`, which is the SSE event's name.
        stream["text/event-stream"].schema = {
          type: "string",
          contentMediaType: "text/event-stream",
          contentSchema: { $ref: "#/components/schemas/RunEvent" },
        };
      }
      if (hasBody && example?.request !== undefined) {
        for (const media of Object.values(operation.requestBody?.content ?? {}))
          media.example = example.request;
      }
    }
  }
  return doc;
}
