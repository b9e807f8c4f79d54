import { createRequire } from "node:module";
import { createRoute, z } from "@hono/zod-openapi";
import { BackendInfoSchema } from "@sweeplab/core";
import type { App, AppDeps } from "../../app-types.ts";
import { problemResponses } from "../../problem.ts";
import { probeStore } from "../../store/probe.ts";
import { storageProblem } from "./storage-problem.ts";

const version = (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;

export const StatusSchema = z
  .object({
    version: z.string(),
    uptimeSeconds: z.number(),
    backend: BackendInfoSchema.nullable(),
    /**
     * Why no live worker can train the queue: this service's own workers could not start their backend and no
     * other worker has sent a heartbeat within a lease. Null while one can. Queued runs stay queued either way.
     */
    backendProblem: z.string().nullable(),
    /** Every registered worker, local or on another host sharing the store. */
    workers: z.array(
      z.object({
        id: z.string(),
        host: z.string(),
        pid: z.int(),
        backend: BackendInfoSchema.nullable(),
        state: z.enum(["idle", "busy"]),
        runId: z.string().nullable(),
        lastHeartbeat: z.iso.datetime(),
        secondsSinceHeartbeat: z.number(),
      }),
    ),
    store: z.enum(["sqlite", "postgres"]),
    /**
     * Why the store could not write lately: its disk was full for a write of this API or for a run a worker failed
     * with STORAGE_FULL, within the last ten minutes (with when). Null otherwise.
     */
    storageProblem: z.string().nullable(),
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

const readyRoute = createRoute({
  method: "get",
  operationId: "ready",
  path: "/readyz",
  summary: "Readiness, without auth: whether the store answers",
  description:
    "200 while the store answers a query within 2 s; 503 STORE_UNAVAILABLE (with Retry-After) while it does not, " +
    "as during a PostgreSQL restart. `/healthz` only says the process is alive.",
  responses: {
    200: {
      description: "ready: the store answers",
      content: {
        "application/json": {
          schema: z.object({ ready: z.literal(true), store: z.enum(["sqlite", "postgres"]) }),
        },
      },
    },
    ...problemResponses(503),
  },
});

/** How long readiness waits for the store: a store that takes longer is as good as down to a load balancer. */
const READY_TIMEOUT_MS = 2000;

export function registerSystemRoutes(app: App, deps: AppDeps) {
  app.openapi(healthRoute, (c) => c.json({ ok: true as const }, 200));
  app.openapi(readyRoute, async (c) => {
    await probeStore(deps.store, READY_TIMEOUT_MS);
    return c.json({ ready: true as const, store: deps.store.dialect }, 200);
  });
  app.openapi(statusRoute, async (c) => {
    const byStatus = await deps.store.countRunsByStatus();
    const workers = await deps.store.listWorkers();
    const now = Date.now();
    const backend = workers.find((w) => w.backend)?.backend ?? null;
    // A worker silent for a whole lease has lost its runs to the reaper: it is not one that can train.
    const liveWorker = workers.some((w) => now - w.heartbeatAt < deps.config.leaseMs);
    return c.json(
      {
        version,
        uptimeSeconds: (Date.now() - deps.startedAt) / 1000,
        backend,
        backendProblem: liveWorker ? null : (deps.workerProblem() ?? null),
        workers: workers.map((w) => ({
          id: w.id,
          host: w.host,
          pid: w.pid,
          backend: w.backend,
          state: w.runId ? ("busy" as const) : ("idle" as const),
          runId: w.runId,
          lastHeartbeat: new Date(w.heartbeatAt).toISOString(),
          secondsSinceHeartbeat: (now - w.heartbeatAt) / 1000,
        })),
        store: deps.store.dialect,
        storageProblem: (await storageProblem(deps)) ?? null,
        queueDepth: byStatus.queued ?? 0,
        runsByStatus: byStatus,
      },
      200,
    );
  });
}
