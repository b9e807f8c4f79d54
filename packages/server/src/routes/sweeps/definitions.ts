// The sweep routes as data (method, path, request and response schemas, documented problems); handlers live apart.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../problem.ts";
import { SweepCreateSchema } from "../../sweeps/sweep-spec.ts";
import {
  LeaderboardPageQuerySchema,
  PLOT_KINDS,
  SweepIdParamsSchema,
  SweepLeaderboardPageSchema,
  SweepListSchema,
  SweepQuerySchema,
  SweepSchema,
  SweepTrialsPageSchema,
} from "./schemas.ts";

const json = <T>(schema: T) => ({ "application/json": { schema } });

export const createSweep = createRoute({
  method: "post",
  operationId: "createSweep",
  path: "/v1/sweeps",
  summary: "Start a hyperparameter sweep",
  description:
    "Proposes trials from the space (random, grid or TPE; trial i depends only on the seed, i and, for TPE, the " +
    "results complete when it was proposed), trains `parallelism` at once through the run queue, stops poor ones " +
    "early with ASHA or the median rule, and ranks configs by the metric's mean over `repeats` seeds. " +
    '`repeats: "auto"` races: one seed each, then more (up to `maxRepeats`) only for configs within seed noise ' +
    "of the best. Two or more `objectives` (with `method: motpe`, or any other) make the result a Pareto front " +
    "within seed noise (`pareto`), the leaderboard marking its members (`onFront`).",
  security: [{ bearer: [] }],
  request: { body: { required: true, content: json(SweepCreateSchema) } },
  responses: {
    202: { description: "started", content: json(SweepSchema) },
    ...problemResponses(400, 401, 403, 413),
  },
});
export const listSweeps = createRoute({
  method: "get",
  operationId: "listSweeps",
  path: "/v1/sweeps",
  summary: "Sweeps, newest first",
  security: [{ bearer: [] }],
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: { 200: { description: "sweeps", content: json(SweepListSchema) }, ...problemResponses(401) },
});
export const getSweep = createRoute({
  method: "get",
  operationId: "getSweep",
  path: "/v1/sweeps/{id}",
  summary: "A sweep with its leaderboard, best config, importance and every trial's run",
  description:
    "`leaderboardLimit` and `trialRunsLimit` cap the two lists for a large sweep (`leaderboardTotal` and " +
    "`trialRunsTotal` say how long they are); `GET /v1/sweeps/{id}/leaderboard` pages through the leaderboard.",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema, query: SweepQuerySchema },
  responses: { 200: { description: "the sweep", content: json(SweepSchema) }, ...problemResponses(401, 404) },
});

export const getSweepLeaderboard = createRoute({
  method: "get",
  operationId: "getSweepLeaderboard",
  path: "/v1/sweeps/{id}/leaderboard",
  summary: "A page of a sweep's leaderboard, best first, with its entries' trial runs",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema, query: LeaderboardPageQuerySchema },
  responses: {
    200: { description: "the page", content: json(SweepLeaderboardPageSchema) },
    ...problemResponses(401, 404),
  },
});
export const getSweepTrials = createRoute({
  method: "get",
  operationId: "getSweepTrials",
  path: "/v1/sweeps/{id}/trials",
  summary: "A page of a sweep's trial runs, by trial and repeat index",
  security: [{ bearer: [] }],
  request: { params: SweepIdParamsSchema, query: LeaderboardPageQuerySchema },
  responses: {
    200: { description: "the page", content: json(SweepTrialsPageSchema) },
    ...problemResponses(401, 404),
  },
});

export const cancelSweep = createRoute({
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
export const sweepEvents = createRoute({
  method: "get",
  operationId: "getSweepEvents",
  path: "/v1/sweeps/{id}/events",
  summary: "The sweep's progress as server-sent events",
  description:
    "First one `trial` event (data: a SweepTrial) per trial run, then one whenever a run appears, changes status, " +
    "advances a step or gets its metric value (the latest state of each, at most one per run per poll), then one " +
    "`sweep` event (data: the SweepSummary) when the sweep ends. With `snapshot=false` the first part is left " +
    "out: only what changes after the stream opens (for a client that reads the sweep itself and wants to know " +
    "when to read it again; a sweep of 10,000 trials has a 10,000-event snapshot). Comments keep the connection " +
    "alive. Streams are capped per sweep (429) and in total (503), both with Retry-After.",
  security: [{ bearer: [] }],
  request: {
    params: SweepIdParamsSchema,
    query: z.object({
      snapshot: z
        .enum(["true", "false"])
        .default("true")
        .openapi({ description: "`false`: no event per trial run first, only changes", example: "false" }),
    }),
  },
  responses: {
    200: { description: "an event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(401, 404, 429, 503),
  },
});
export const sweepPlot = createRoute({
  method: "get",
  operationId: "getSweepPlot",
  path: "/v1/sweeps/{id}/plots/{kind}",
  summary: "A sweep plot as SVG or PNG",
  description:
    "`pareto` (a sweep with two or more objectives; 409 SWEEP_SINGLE_OBJECTIVE otherwise): two objectives as a " +
    "scatter of every config's means with the front and its intervals; three or more as the front's parallel " +
    "coordinates.",
  security: [{ bearer: [] }],
  request: {
    params: SweepIdParamsSchema.extend({
      kind: z.enum(PLOT_KINDS).openapi({ param: { name: "kind", in: "path" } }),
    }),
    query: z.object({ format: z.enum(["svg", "png"]).default("svg") }),
  },
  responses: {
    200: {
      description:
        "the plot. At scale some plots are sampled (validation curves: the best curves and an even spread of the " +
        "rest, each reduced to at most a few dozen points with LTTB; scatters capped with the best trials kept): " +
        "the `Sweeplab-Plot-Sampling` header says what was drawn of what, as JSON, and the figure's subtitle too.",
      headers: z.object({
        "Sweeplab-Plot-Sampling": z.string().openapi({
          description: 'JSON: { "trials": {"shown", "of", "method"}, "points"?: {"maxPerCurve", "method"} }',
        }),
      }),
      content: {
        "image/svg+xml": { schema: z.string() },
        "image/png": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
    ...problemResponses(401, 404, 409),
  },
});
