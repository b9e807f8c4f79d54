import { createRoute, z } from "@hono/zod-openapi";
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError, problemResponses } from "../../problem.ts";
import {
  RunCreateSchema,
  RunIdParamsSchema,
  RunListSchema,
  RunSchema,
  RunStatusSchema,
  toRunResource,
} from "./schemas.ts";

const json = <T>(schema: T) => ({ "application/json": { schema } });

const createRun = createRoute({
  method: "post",
  operationId: "createRun",
  path: "/v1/runs",
  summary: "Queue a training run",
  security: [{ bearer: [] }],
  request: {
    headers: z.object({
      "idempotency-key": z
        .string()
        .min(1)
        .max(200)
        .optional()
        .openapi({
          description:
            "Repeating a request with the same key returns the run it created (even when the queue is full); keys " +
            "starting with `sweeplab:` are the service's own (400 IDEMPOTENCY_KEY_RESERVED)",
        }),
    }),
    body: { required: true, content: json(RunCreateSchema) },
  },
  responses: {
    202: {
      description: "queued (or, for a repeated Idempotency-Key, the run it created)",
      content: json(RunSchema),
    },
    ...problemResponses(400, 401, 403, 413, 415, 422, 429),
  },
});

const ListQuerySchema = z.object({
  status: RunStatusSchema.optional(),
  tag: z.string().max(64).optional(),
  sweepId: z.string().max(64).optional(),
  sort: z.enum(["created", "testAccuracy"]).default("created"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const listRuns = createRoute({
  method: "get",
  operationId: "listRuns",
  path: "/v1/runs",
  summary: "List runs, newest first or best test accuracy first",
  security: [{ bearer: [] }],
  request: { query: ListQuerySchema },
  responses: {
    200: { description: "a page of runs", content: json(RunListSchema) },
    ...problemResponses(400, 401),
  },
});

const getRun = createRoute({
  method: "get",
  operationId: "getRun",
  path: "/v1/runs/{id}",
  summary: "One run",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema },
  responses: { 200: { description: "the run", content: json(RunSchema) }, ...problemResponses(401, 404) },
});

const cancelRun = createRoute({
  method: "post",
  operationId: "cancelRun",
  path: "/v1/runs/{id}/cancel",
  summary: "Cancel a queued or running run",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema },
  responses: {
    202: { description: "cancel requested", content: json(RunSchema) },
    ...problemResponses(401, 404, 409),
  },
});

const deleteRun = createRoute({
  method: "delete",
  operationId: "deleteRun",
  path: "/v1/runs/{id}",
  summary: "Delete a finished run and its files",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema },
  responses: { 204: { description: "deleted" }, ...problemResponses(401, 404, 409) },
});

interface Cursor {
  v: number;
  id: string;
}

/**
 * A cursor as this API writes it: the last row's creation time (a safe integer, as the stores' 64-bit column holds
 * it) or its test accuracy (a finite number), and its id. Anything else (1.5 or 1e30 for a time, 1e400 read as
 * Infinity, a NUL in the id) is refused here: PostgreSQL would fail the query with a 500.
 */
function decodeCursor(cursor: string, sort: "created" | "testAccuracy"): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<Cursor>;
    const { v, id } = parsed;
    const validValue = sort === "created" ? Number.isSafeInteger(v) : Number.isFinite(v);
    if (validValue && typeof id === "string" && id.length <= 64 && !id.includes("\0")) return { v: v!, id };
  } catch {}
  throw new ProblemError(400, "INVALID_CURSOR", "cursor is not one this API returned");
}

export function registerRunCrudRoutes(app: App, deps: AppDeps) {
  app.openapi(createRun, async (c) => {
    const body = c.req.valid("json");
    const { run } = await deps.runs.submit({
      config: body.config,
      name: body.name,
      tags: body.tags,
      idempotencyKey: c.req.valid("header")["idempotency-key"],
    });
    c.header("Location", `/v1/runs/${run.id}`);
    return c.json(toRunResource(run), 202);
  });

  app.openapi(listRuns, async (c) => {
    const q = c.req.valid("query");
    const rows = await deps.store.listRuns({
      status: q.status,
      tag: q.tag,
      sweepId: q.sweepId,
      sort: q.sort,
      limit: q.limit + 1,
      after: q.cursor ? decodeCursor(q.cursor, q.sort) : undefined,
    });
    const page = rows.slice(0, q.limit);
    const lastRow = page.at(-1);
    const nextCursor =
      rows.length > q.limit && lastRow
        ? Buffer.from(
            JSON.stringify({
              v: q.sort === "created" ? lastRow.createdAt : lastRow.testAccuracy,
              id: lastRow.id,
            }),
          ).toString("base64url")
        : null;
    return c.json({ items: page.map(toRunResource), nextCursor }, 200);
  });

  app.openapi(getRun, async (c) => c.json(toRunResource(await deps.runs.get(c.req.valid("param").id)), 200));

  app.openapi(cancelRun, async (c) =>
    c.json(toRunResource(await deps.runs.cancel(c.req.valid("param").id)), 202),
  );

  app.openapi(deleteRun, async (c) => {
    const { id } = c.req.valid("param");
    await deps.runs.delete(id);
    deps.predictors.drop(id);
    return c.body(null, 204);
  });
}
