import { createRequire } from "node:module";
import { createRoute, z } from "@hono/zod-openapi";
import { BackendInfoSchema } from "@sweeplab/core";
import { count } from "drizzle-orm";
import type { App, AppDeps } from "../../app-types.ts";
import { RUN_STATUSES, runs } from "../../db/schema.ts";

const version = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

export const StatusSchema = z
  .object({
    version: z.string(),
    uptimeSeconds: z.number(),
    backend: BackendInfoSchema.nullable(),
    backendProblem: z.string().nullable(),
    workers: z.array(
      z.object({
        id: z.int(),
        pid: z.int().nullable(),
        state: z.enum(["starting", "idle", "busy"]),
        runId: z.string().nullable(),
      }),
    ),
    queueDepth: z.int(),
    runsByStatus: z.record(z.string(), z.int()),
  })
  .openapi("Status");

const statusRoute = createRoute({
  method: "get",
  operationId: "getStatus",
  path: "/v1/status",
  summary: "Service status: version, backend, workers, queue",
  security: [{ bearer: [] }],
  responses: { 200: { description: "status", content: { "application/json": { schema: StatusSchema } } } },
});

const healthRoute = createRoute({
  method: "get",
  operationId: "health",
  path: "/healthz",
  summary: "Liveness, without auth",
  responses: {
    200: {
      description: "alive",
      content: { "application/json": { schema: z.object({ ok: z.literal(true) }) } },
    },
  },
});

export function registerSystemRoutes(app: App, deps: AppDeps) {
  app.openapi(healthRoute, (c) => c.json({ ok: true as const }, 200));
  app.openapi(statusRoute, (c) => {
    const byStatus = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0]));
    for (const row of deps.db
      .select({ status: runs.status, n: count() })
      .from(runs)
      .groupBy(runs.status)
      .all()) {
      byStatus[row.status] = row.n;
    }
    const workers = deps.runs.workers();
    const backend = workers.find((w) => w.backend)?.backend ?? null;
    return c.json(
      {
        version,
        uptimeSeconds: (Date.now() - deps.startedAt) / 1000,
        backend,
        backendProblem: deps.runs.lastWorkerProblem ?? null,
        workers: workers.map((w) => ({
          id: w.id,
          pid: w.pid ?? null,
          state: !w.ready ? ("starting" as const) : w.runId ? ("busy" as const) : ("idle" as const),
          runId: w.runId ?? null,
        })),
        queueDepth: byStatus.queued ?? 0,
        runsByStatus: byStatus,
      },
      200,
    );
  });
}
