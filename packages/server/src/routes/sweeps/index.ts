// The sweep routes' handlers: create, list, read, cancel, plots; the event stream is in events.ts.
import { randomUUID } from "node:crypto";
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError } from "../../problem.ts";
import { renderSvg, svgToPng } from "../../runs/curves.ts";
import { isSweepEnded } from "../../store/sweep-lifecycle.ts";
import { buildSweepReport } from "../../sweeps/report.ts";
import { SweepFeeds } from "../../sweeps/sweep-feed.ts";
import { resolveSweepSpec } from "../../sweeps/sweep-spec.ts";
import { cancelSweep, createSweep, getSweep, listSweeps, sweepPlot } from "./definitions.ts";
import { registerSweepEventRoutes } from "./events.ts";
import { plotSpec } from "./plot.ts";
import { toSweepResource, toSweepSummary } from "./resource.ts";
import { registerSweepShareRoutes } from "./share.ts";

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
    // Its first trials are queued before the answer, which lists them.
    await deps.sweeps.advanceSoon(sweep.id);
    c.header("Location", `/v1/sweeps/${sweep.id}`);
    return c.json(
      toSweepResource(await buildSweepReport(deps.store, (await deps.store.getSweep(sweep.id))!)),
      202,
    );
  });

  app.openapi(listSweeps, async (c) => {
    const sweeps = await deps.store.listSweeps(c.req.valid("query").limit);
    const items = await Promise.all(
      sweeps.map(async (s) => toSweepSummary(await buildSweepReport(deps.store, s))),
    );
    return c.json({ items }, 200);
  });

  app.openapi(getSweep, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    return c.json(toSweepResource(await buildSweepReport(deps.store, sweep)), 200);
  });

  app.openapi(cancelSweep, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    if (isSweepEnded(sweep))
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

  registerSweepShareRoutes(app, deps);
  registerSweepEventRoutes(
    app,
    deps,
    new SweepFeeds(deps.store, deps.log, {
      pollMs: Math.max(deps.config.pollMs, 500),
      maxStreams: deps.config.maxSweepStreams,
      maxStreamsPerSweep: deps.config.maxStreamsPerSweep,
      summarize: toSweepSummary,
    }),
  );
}
