// The sweep routes' handlers: create, list, read, cancel, plots; the event stream is in events.ts.
import { randomUUID } from "node:crypto";
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError } from "../../problem.ts";
import { renderSvg, svgToPng } from "../../runs/curves.ts";
import { isSweepEnded } from "../../store/sweep-lifecycle.ts";
import { sweepReport } from "../../sweeps/report.ts";
import { SweepFeeds } from "../../sweeps/sweep-feed.ts";
import { resolveSweepSpec } from "../../sweeps/sweep-spec.ts";
import { resolveWarmStart } from "../../sweeps/warm-start.ts";
import { registerSweepActionRoutes } from "./actions.ts";
import {
  cancelSweep,
  createSweep,
  getSweep,
  getSweepLeaderboard,
  getSweepTrials,
  listSweeps,
  sweepPlot,
} from "./definitions.ts";
import { registerSweepEventRoutes } from "./events.ts";
import { plotSpec } from "./plot.ts";
import { PlotRenders } from "./plot-renders.ts";
import { toLeaderboardPage, toSweepResource, toSweepSummary } from "./resource.ts";
import { registerSweepShareRoutes } from "./share.ts";

export function registerSweepRoutes(app: App, deps: AppDeps) {
  // Each sweep's incremental state, shared with the scheduler: a request reads only what changed since the last.
  const states = deps.sweeps.states;
  const report = (sweep: Parameters<typeof sweepReport>[1]) => sweepReport(states, sweep);
  const load = async (id: string) => {
    const sweep = await deps.store.getSweep(id);
    if (!sweep) throw new ProblemError(404, "SWEEP_NOT_FOUND", `no sweep ${id}`);
    return sweep;
  };

  app.openapi(createSweep, async (c) => {
    const body = c.req.valid("json");
    const raw = (await c.req.json()) as { base?: unknown };
    const resolved = await resolveSweepSpec(body, raw.base, deps.runs.admission);
    const spec = body.warmStartFrom
      ? await resolveWarmStart(deps.store, resolved, body.warmStartFrom)
      : resolved;
    const sweep = await deps.store.createSweep({
      id: `swp_${randomUUID().replaceAll("-", "").slice(0, 20)}`,
      name: body.name ?? null,
      spec,
    });
    // Its first trials are queued before the answer, which lists them.
    await deps.sweeps.advanceSoon(sweep.id);
    c.header("Location", `/v1/sweeps/${sweep.id}`);
    return c.json(toSweepResource(await report((await deps.store.getSweep(sweep.id))!)), 202);
  });

  app.openapi(listSweeps, async (c) => {
    const sweeps = await deps.store.listSweeps(c.req.valid("query").limit);
    // Each summary from its sweep's state: a sweep that did not change since it was last read costs one query.
    const items = [];
    for (const s of sweeps) items.push(toSweepSummary(await report(s)));
    return c.json({ items }, 200);
  });

  app.openapi(getSweep, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    return c.json(toSweepResource(await report(sweep), c.req.valid("query")), 200);
  });

  app.openapi(getSweepLeaderboard, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    return c.json(toLeaderboardPage(await report(sweep), c.req.valid("query")), 200);
  });

  app.openapi(getSweepTrials, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    const { offset, limit } = c.req.valid("query");
    const { trials } = await report(sweep);
    return c.json({ total: trials.length, offset, items: trials.slice(offset, offset + limit) }, 200);
  });

  app.openapi(cancelSweep, async (c) => {
    const sweep = await load(c.req.valid("param").id);
    if (isSweepEnded(sweep))
      throw new ProblemError(409, "SWEEP_FINISHED", `sweep ${sweep.id} is ${sweep.status} already`);
    await deps.sweeps.end(sweep, "canceled", "canceled by request");
    return c.json(toSweepResource(await report(await load(sweep.id))), 202);
  });

  const renders = new PlotRenders();
  app.openapi(sweepPlot, async (c) => {
    const { id, kind } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const sweep = await load(id);
    const state = await states.get(sweep);
    const { body, sampling } = await renders.render(
      `${id}|${sweep.status}|${state.changeKey}|${kind}|${format}`,
      async () => {
        const { spec, sampling } = await plotSpec(kind, await report(sweep), deps.store);
        const svg = await renderSvg(spec);
        return {
          body: format === "svg" ? svg : new Uint8Array(await svgToPng(svg)),
          sampling: JSON.stringify(sampling),
        };
      },
    );
    // What the plot leaves out at scale (curves and points sampled, each kept with its best), for any client.
    const headers = { "Sweeplab-Plot-Sampling": sampling };
    if (typeof body === "string") return c.body(body, 200, { ...headers, "Content-Type": "image/svg+xml" });
    return c.body(body, 200, { ...headers, "Content-Type": "image/png" });
  });

  registerSweepActionRoutes(app, deps);

  registerSweepShareRoutes(app, deps);
  registerSweepEventRoutes(
    app,
    deps,
    new SweepFeeds(deps.store, states, deps.log, {
      pollMs: Math.max(deps.config.pollMs, 500),
      maxStreams: deps.config.maxSweepStreams,
      maxStreamsPerSweep: deps.config.maxStreamsPerSweep,
      summarize: toSweepSummary,
    }),
  );
}
