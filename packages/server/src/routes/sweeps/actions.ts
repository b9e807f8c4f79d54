// The sweep lifecycle's routes (resume, retry, extend) as data, with their handlers (logic in sweeps/sweep-actions.ts).
import { createRoute } from "@hono/zod-openapi";
import { SweepExtendSchema, SweepResumeSchema } from "@sweeplab/contract";
import type { App, AppDeps } from "../../app-types.ts";
import { problemResponses } from "../../problem.ts";
import { sweepReport } from "../../sweeps/report.ts";
import { assertNotImported } from "../../sweeps/share/import-sweep.ts";
import { extendSweep, resumeSweep, retrySweep } from "../../sweeps/sweep-actions.ts";
import { toSweepResource } from "./resource.ts";
import { SweepIdParamsSchema, SweepSchema } from "./schemas.ts";

const json = <T>(schema: T) => ({ "application/json": { schema } });

export const resumeSweepRoute = createRoute({
  method: "post",
  operationId: "resumeSweep",
  path: "/v1/sweeps/{id}/resume",
  summary: "Resume an ended sweep: its canceled and never-proposed trials run, finished ones never again",
  description:
    "A canceled trial runs again as a new attempt (same config and seed; the canceled run is kept, linked by " +
    "`retryOf`), so the sweep ends with every trial once. 409 SWEEP_ACTIVE for a running sweep, SWEEP_STOPPING " +
    "while its trials are still stopping. A `budget` replaces the sweep's; the wall clock counts from the resume.",
  security: [{ bearer: [] }],
  request: {
    params: SweepIdParamsSchema,
    body: { required: false, content: json(SweepResumeSchema) },
  },
  responses: {
    202: { description: "running again", content: json(SweepSchema) },
    ...problemResponses(400, 401, 404, 409),
  },
});

export const retrySweepRoute = createRoute({
  method: "post",
  operationId: "retrySweep",
  path: "/v1/sweeps/{id}/retry",
  summary: "Re-run a sweep's failed and diverged trials as new attempts with the same config and seed",
  description:
    "Each failed or diverged trial repeat gets a new run (attempt + 1, `retryOf` the old run, which is kept); the " +
    "leaderboard counts each trial once, by its latest attempt. An ended sweep runs again until they finish. " +
    "409 NOTHING_TO_RETRY when no trial failed or diverged.",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema },
  responses: {
    202: { description: "retrying", content: json(SweepSchema) },
    ...problemResponses(401, 404, 409),
  },
});

export const extendSweepRoute = createRoute({
  method: "post",
  operationId: "extendSweep",
  path: "/v1/sweeps/{id}/extend",
  summary: "Add trials to a running or finished sweep; the sampler continues from its history",
  description:
    "The new trials' indices follow the sweep's last and draw from the same seed stream, TPE modelling every " +
    "trial so far. 409 INVALID_TRANSITION for a canceled or failed sweep (resume it first).",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema, body: { required: true, content: json(SweepExtendSchema) } },
  responses: {
    202: { description: "extended", content: json(SweepSchema) },
    ...problemResponses(400, 401, 404, 409),
  },
});

export function registerSweepActionRoutes(app: App, deps: AppDeps) {
  // From the sweep's incremental state, as GET /v1/sweeps/{id} answers.
  const answer = async (id: string) =>
    toSweepResource(await sweepReport(deps.sweeps.states, (await deps.store.getSweep(id))!));
  /** An imported sweep is never set running again (the scheduler never advances it): 409 SWEEP_IMPORTED. */
  const refuseImported = async (id: string) => {
    const sweep = await deps.store.getSweep(id);
    if (sweep) assertNotImported(sweep);
  };

  app.openapi(resumeSweepRoute, async (c) => {
    const { id } = c.req.valid("param");
    await refuseImported(id);
    await resumeSweep(deps, id, c.req.valid("json") ?? {});
    return c.json(await answer(id), 202);
  });

  app.openapi(retrySweepRoute, async (c) => {
    const { id } = c.req.valid("param");
    await refuseImported(id);
    await retrySweep(deps, id);
    return c.json(await answer(id), 202);
  });

  app.openapi(extendSweepRoute, async (c) => {
    const { id } = c.req.valid("param");
    await refuseImported(id);
    await extendSweep(deps, id, c.req.valid("json"));
    return c.json(await answer(id), 202);
  });
}
