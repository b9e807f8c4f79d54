// Sharing a sweep: export it to one file, import such a file as a new (read-only) sweep, and one self-contained
// HTML report of it. The work is in sweeps/share/; these are the routes and their handlers.
import { createRoute, z } from "@hono/zod-openapi";
import { PLOT_KINDS, SweepExportSchema, SweepImportResultSchema } from "@sweeplab/contract";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError, problemResponse, problemResponses } from "../../problem.ts";
import { renderSvg } from "../../runs/curves.ts";
import { buildSweepReport } from "../../sweeps/report.ts";
import { exportSweep } from "../../sweeps/share/export-sweep.ts";
import { buildHtmlReport, REPORT_POLICY, type ReportPlot } from "../../sweeps/share/html-report.ts";
import { importSweepFile } from "../../sweeps/share/import-sweep.ts";
import { plotSpec } from "./plot.ts";
import { SweepIdParamsSchema } from "./schemas.ts";

/** The import route's path: its body limit is its own (SWEEPLAB_MAX_IMPORT_BYTES), not the service's. */
export const IMPORT_PATH = "/v1/sweeps/import";

/**
 * The import's body limit, in place of the service's request body limit (app.ts picks it by path, before any
 * middleware reads the body): an export file holds a sweep's every metric and event.
 */
export function importBodyLimit(maxImportBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxImportBytes,
    onError: (c) =>
      problemResponse(
        c,
        413,
        "BODY_TOO_LARGE",
        `sweep export files are limited to ${maxImportBytes} bytes (SWEEPLAB_MAX_IMPORT_BYTES)`,
      ),
  });
}

export const exportSweepRoute = createRoute({
  method: "get",
  operationId: "exportSweep",
  path: "/v1/sweeps/{id}/export",
  summary: "The sweep as one file: spec, trials, their runs' configs, metrics and events (no weights)",
  description:
    "A `sweeplab.sweep-export` file of version 1: `POST /v1/sweeps/import` on any service (either store) reads it " +
    "back as a new sweep with the same leaderboard. A running sweep exports as it is now.",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema },
  responses: {
    200: { description: "the export file", content: { "application/json": { schema: SweepExportSchema } } },
    ...problemResponses(401, 404),
  },
});

export const importSweepRoute = createRoute({
  method: "post",
  operationId: "importSweep",
  path: IMPORT_PATH,
  summary: "Import a sweep export file as a new, read-only sweep",
  description:
    "Checks the whole file first (format, version, every run, event and metric) and writes nothing unless all of " +
    "it holds; then stores it in one transaction under new ids, ended as it was (a sweep still running when " +
    "exported arrives canceled, with its unfinished runs). An imported sweep never schedules a trial. Files are " +
    "limited to SWEEPLAB_MAX_IMPORT_BYTES (413).",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: { "application/json": { schema: SweepExportSchema } } } },
  responses: {
    201: {
      description: "imported",
      content: { "application/json": { schema: SweepImportResultSchema } },
    },
    ...problemResponses(400, 401, 403, 413, 415),
  },
});

export const sweepReportRoute = createRoute({
  method: "get",
  operationId: "getSweepReport",
  path: "/v1/sweeps/{id}/report.html",
  summary: "A self-contained HTML report: the leaderboard and every plot, opening offline",
  description: `One HTML file with the sweep's summary, its leaderboard and one inline SVG figure per plot kind (${PLOT_KINDS.join(", ")}); it loads nothing from anywhere.`,
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema },
  responses: {
    200: { description: "the report", content: { "text/html": { schema: z.string() } } },
    ...problemResponses(401, 404),
  },
});

export function registerSweepShareRoutes(app: App, deps: AppDeps) {
  const load = async (id: string) => {
    const sweep = await deps.store.getSweep(id);
    if (!sweep) throw new ProblemError(404, "SWEEP_NOT_FOUND", `no sweep ${id}`);
    return sweep;
  };

  app.openapi(exportSweepRoute, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    c.header("Content-Disposition", `attachment; filename="${sweep.id}.sweep.json"`);
    return c.json(await exportSweep(deps.store, sweep), 200);
  });

  app.openapi(importSweepRoute, async (c) => {
    const result = await importSweepFile(deps.store, c.req.valid("json"));
    c.header("Location", `/v1/sweeps/${result.id}`);
    return c.json(result, 201);
  });

  app.openapi(sweepReportRoute, async (c) => {
    const report = await buildSweepReport(deps.store, await load(c.req.valid("param").id));
    const plots: ReportPlot[] = [];
    for (const kind of PLOT_KINDS) {
      try {
        // The full report carries every curve: nothing more is read for the validation curves.
        plots.push({ kind, svg: await renderSvg((await plotSpec(kind, report, deps.store)).spec) });
      } catch (error) {
        // A plot that cannot be drawn for this sweep still gets its figure, saying why. A problem (a kind that
        // does not apply, as a Pareto plot to one objective) is expected; anything else is worth a warning.
        const level = error instanceof ProblemError ? "debug" : "warn";
        deps.log[level]({ err: error, sweepId: report.sweep.id, kind }, "report plot not drawn");
        plots.push({ kind, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return c.body(buildHtmlReport(report, plots, new Date()), 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": REPORT_POLICY,
    });
  });
}
