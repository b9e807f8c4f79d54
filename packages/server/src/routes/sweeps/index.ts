import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createRoute, z } from "@hono/zod-openapi";
import { RUN_STATUSES } from "@sweeplab/core";
import { streamSSE } from "hono/streaming";
import type { TopLevelSpec } from "vega-lite";
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError, problemResponses } from "../../problem.ts";
import { renderSvg, svgToPng } from "../../runs/curves.ts";
import {
  bestSoFarSpec,
  importanceSpec,
  metricByParameterSpec,
  parallelCoordinatesSpec,
  validationCurvesSpec,
} from "../../sweeps/plots.ts";
import { buildSweepReport, type SweepReport } from "../../sweeps/report.ts";
import { resolveSweepSpec, SweepCreateSchema, type SweepSpec } from "../../sweeps/sweep-spec.ts";
import {
  PLOT_KINDS,
  SweepIdParamsSchema,
  SweepListSchema,
  SweepSchema,
  type SweepSummarySchema,
} from "./schemas.ts";

const json = <T>(schema: T) => ({ "application/json": { schema } });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const createSweep = createRoute({
  method: "post",
  operationId: "createSweep",
  path: "/v1/sweeps",
  summary: "Start a hyperparameter sweep",
  description:
    "Proposes trials from the space (random, grid or TPE; trial i depends only on the seed, i and, for TPE, the " +
    "results complete when it was proposed), trains `parallelism` at once through the run queue, stops poor ones " +
    "early with ASHA or the median rule, and ranks configs by the metric's mean over `repeats` seeds.",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: json(SweepCreateSchema) } },
  responses: {
    202: { description: "started", content: json(SweepSchema) },
    ...problemResponses(400, 401, 403, 413),
  },
});
const listSweeps = createRoute({
  method: "get",
  operationId: "listSweeps",
  path: "/v1/sweeps",
  summary: "Sweeps, newest first",
  security: [{ bearer: [] }],
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: { 200: { description: "sweeps", content: json(SweepListSchema) }, ...problemResponses(401) },
});
const getSweep = createRoute({
  method: "get",
  operationId: "getSweep",
  path: "/v1/sweeps/{id}",
  summary: "A sweep with its leaderboard, best config, importance and every trial's run",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema },
  responses: { 200: { description: "the sweep", content: json(SweepSchema) }, ...problemResponses(401, 404) },
});
const cancelSweep = createRoute({
  method: "post",
  operationId: "cancelSweep",
  path: "/v1/sweeps/{id}/cancel",
  summary: "Stop a sweep: no more trials, and its queued and training runs are canceled",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema },
  responses: {
    202: { description: "canceled", content: json(SweepSchema) },
    ...problemResponses(401, 404, 409),
  },
});
const sweepEvents = createRoute({
  method: "get",
  operationId: "getSweepEvents",
  path: "/v1/sweeps/{id}/events",
  summary: "The sweep's progress as server-sent events",
  description:
    "`trial` events (data: a SweepTrial) whenever a trial run appears, changes status, advances a step or gets " +
    "a new metric value (at most one per run per poll), then one `sweep` event " +
    "(data: the SweepSummary) when the sweep ends. Comments keep the connection alive.",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema },
  responses: {
    200: { description: "an event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(401, 404),
  },
});
const sweepPlot = createRoute({
  method: "get",
  operationId: "getSweepPlot",
  path: "/v1/sweeps/{id}/plots/{kind}",
  summary: "A sweep plot as SVG or PNG",
  security: [{ bearer: [] }],
  request: {
    params: SweepIdParamsSchema.extend({
      kind: z.enum(PLOT_KINDS).openapi({ param: { name: "kind", in: "path" } }),
    }),
    query: z.object({ format: z.enum(["svg", "png"]).default("svg") }),
  },
  responses: {
    200: {
      description: "the plot",
      content: {
        "image/svg+xml": { schema: z.string() },
        "image/png": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...problemResponses(401, 404),
  },
});

function summary(report: SweepReport): z.infer<typeof SweepSummarySchema> {
  const { sweep } = report;
  const spec = sweep.spec as SweepSpec;
  return {
    id: sweep.id,
    name: sweep.name,
    status: sweep.status as z.infer<typeof SweepSummarySchema>["status"],
    stopReason: sweep.stopReason,
    preset: spec.preset,
    method: spec.method,
    metric: spec.metric,
    direction: spec.direction,
    trials: spec.trials,
    parallelism: spec.parallelism,
    repeats: spec.repeats,
    seed: spec.seed,
    earlyStopping: spec.earlyStopping,
    runsByStatus: countStatuses(report),
    bestMean: report.best?.mean ?? null,
    createdAt: iso(sweep.createdAt)!,
    finishedAt: iso(sweep.finishedAt),
  };
}

function countStatuses(report: SweepReport): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0]));
  for (const t of report.trials) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}

function toSweepResource(report: SweepReport): z.infer<typeof SweepSchema> {
  return {
    ...summary(report),
    base: report.spec.base as Record<string, unknown>,
    space: report.spec.space,
    leaderboard: report.leaderboard,
    best: report.best ? { ...report.best, config: report.best.config as Record<string, unknown> } : null,
    importance: report.importance,
    trialRuns: report.trials,
  };
}

function plotSpec(kind: (typeof PLOT_KINDS)[number], report: SweepReport): TopLevelSpec {
  const metricLabel = report.spec.metric.replace(/([A-Z])/g, " $1").toLowerCase();
  const options = {
    metricLabel,
    direction: report.spec.direction,
    logParameters: report.spec.space.parameters
      .filter((p) => p.type === "log-uniform" || ("log" in p && p.log === true))
      .map((p) => p.name),
  };
  switch (kind) {
    case "parallel-coordinates":
      return parallelCoordinatesSpec(report.plotTrials, options);
    case "metric-by-parameter":
      return metricByParameterSpec(report.plotTrials, options);
    case "best-so-far":
      return bestSoFarSpec(report.plotTrials, options);
    case "validation-curves":
      return validationCurvesSpec(report.plotTrials, options);
    case "importance":
      return importanceSpec(report.importance);
  }
}

export function registerSweepRoutes(app: App, deps: AppDeps) {
  const load = async (id: string) => {
    const sweep = await deps.store.getSweep(id);
    if (!sweep) throw new ProblemError(404, "SWEEP_NOT_FOUND", `no sweep ${id}`);
    return sweep;
  };

  app.openapi(createSweep, async (c) => {
    const body = c.req.valid("json");
    const raw = (await c.req.json()) as { base?: unknown };
    const spec = await resolveSweepSpec(body, raw.base, deps.runs.admission);
    const sweep = await deps.store.createSweep({
      id: `swp_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
      name: body.name ?? null,
      spec,
    });
    await deps.sweeps.tick();
    c.header("Location", `/v1/sweeps/${sweep.id}`);
    return c.json(
      toSweepResource(await buildSweepReport(deps.store, (await deps.store.getSweep(sweep.id))!)),
      202,
    );
  });

  app.openapi(listSweeps, async (c) => {
    const sweeps = await deps.store.listSweeps(c.req.valid("query").limit);
    const items = await Promise.all(sweeps.map(async (s) => summary(await buildSweepReport(deps.store, s))));
    return c.json({ items }, 200);
  });

  app.openapi(getSweep, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    return c.json(toSweepResource(await buildSweepReport(deps.store, sweep)), 200);
  });

  app.openapi(cancelSweep, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    if (sweep.status !== "running")
      throw new ProblemError(409, "SWEEP_FINISHED", `sweep ${sweep.id} is ${sweep.status} already`);
    await deps.sweeps.end(sweep, "canceled", "canceled by request");
    return c.json(toSweepResource(await buildSweepReport(deps.store, await load(sweep.id))), 202);
  });

  app.openapi(sweepPlot, async (c) => {
    const { id, kind } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const svg = await renderSvg(plotSpec(kind, await buildSweepReport(deps.store, await load(id))));
    if (format === "svg") return c.body(svg, 200, { "Content-Type": "image/svg+xml" });
    return c.body(new Uint8Array(svgToPng(svg)), 200, { "Content-Type": "image/png" });
  });

  app.openapi(sweepEvents, async (c) => {
    const { id } = c.req.valid("param");
    await load(id);
    return streamSSE(c, async (stream) => {
      const closed = new AbortController();
      stream.onAbort(() => closed.abort());
      const stop = AbortSignal.any([deps.shutdown, closed.signal]);
      const seen = new Map<string, string>();
      let lastWrite = Date.now();
      while (!stop.aborted) {
        const report = await buildSweepReport(deps.store, await load(id));
        for (const trial of report.trials) {
          const state = `${trial.status} ${trial.step} ${trial.value}`;
          if (seen.get(trial.runId) === state) continue;
          seen.set(trial.runId, state);
          await stream.writeSSE({ event: "trial", data: JSON.stringify(trial) });
          lastWrite = Date.now();
        }
        if (report.sweep.status !== "running") {
          await stream.writeSSE({
            event: "sweep",
            data: JSON.stringify(summary(report)),
          });
          return;
        }
        if (Date.now() - lastWrite >= deps.config.heartbeatMs) {
          await stream.write(": heartbeat\n\n");
          lastWrite = Date.now();
        }
        await sleep(Math.max(deps.config.pollMs, 500), undefined, { signal: stop }).catch(() => {});
      }
    });
  });
}
