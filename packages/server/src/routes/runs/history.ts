import { createRoute, z } from "@hono/zod-openapi";
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError, problemResponses } from "../../problem.ts";
import { type CurvePoint, curvesSpec, renderSvg, svgToPng } from "../../runs/curves.ts";
import { INT32_MAX } from "../column-limits.ts";
import { EvaluationSchema, MetricsSchema, RunIdParamsSchema } from "./schemas.ts";

/** Points one request returns at most: a whole run by default (runs hold at most 11,000 metric steps). */
const MAX_POINTS = 20_000;
/** Points per curve drawn; longer histories are thinned evenly (the last point kept). */
const MAX_CURVE_POINTS = 1000;

const MetricsQuerySchema = z.object({
  afterStep: z.coerce.number().int().min(-1).max(INT32_MAX).default(-1),
  limit: z.coerce.number().int().min(1).max(MAX_POINTS).default(MAX_POINTS),
});

const metricsRoute = createRoute({
  method: "get",
  operationId: "getRunMetrics",
  path: "/v1/runs/{id}/metrics",
  summary: "The run's metrics history merged by step, a page at a time (`afterStep`, `limit`)",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema, query: MetricsQuerySchema },
  responses: {
    200: { description: "history", content: { "application/json": { schema: MetricsSchema } } },
    ...problemResponses(400, 401, 404),
  },
});

const curvesRoute = (format: "svg" | "png") =>
  createRoute({
    method: "get",
    operationId: format === "svg" ? "getRunCurvesSvg" : "getRunCurvesPng",
    path: `/v1/runs/{id}/curves.${format}`,
    summary: `Loss, accuracy and learning-rate curves (${format.toUpperCase()})`,
    security: [{ bearer: [] }],
    request: { params: RunIdParamsSchema },
    responses: {
      200: {
        description: "the curves",
        content: {
          [format === "svg" ? "image/svg+xml" : "image/png"]: {
            schema: z.string().openapi({ format: "binary" }),
          },
        },
      },
      ...problemResponses(401, 404),
    },
  });

const evaluationRoute = createRoute({
  method: "get",
  operationId: "getRunEvaluation",
  path: "/v1/runs/{id}/evaluation",
  summary: "Test-set confusion matrix and per-class accuracy of a finished run",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema },
  responses: {
    200: { description: "evaluation", content: { "application/json": { schema: EvaluationSchema } } },
    ...problemResponses(401, 404, 409),
  },
});

type MetricPoint = z.infer<typeof MetricsSchema>["points"][number];

/** Up to `limit` points after `afterStep`, and where the next page starts (null at the end). */
async function history(
  deps: AppDeps,
  runId: string,
  { afterStep, limit }: { afterStep: number; limit: number },
): Promise<{ points: MetricPoint[]; nextAfterStep: number | null }> {
  const byStep = new Map<number, MetricPoint>();
  // At most two rows (a step and an eval) per step: this many rows hold limit + 1 whole steps.
  const rows = await deps.store.metrics(runId, { afterStep, limit: 2 * (limit + 1) });
  for (const row of rows) {
    const point = byStep.get(row.step) ?? {
      step: row.step,
      loss: null,
      learningRate: null,
      msPerStep: null,
      trainLoss: null,
      trainAccuracy: null,
      validationLoss: null,
      validationAccuracy: null,
    };
    for (const key of [
      "loss",
      "learningRate",
      "msPerStep",
      "trainLoss",
      "trainAccuracy",
      "validationLoss",
      "validationAccuracy",
    ] as const) {
      if (row[key] !== null) point[key] = row[key];
    }
    byStep.set(row.step, point);
  }
  const points = [...byStep.values()];
  if (points.length <= limit) return { points, nextAfterStep: null };
  return { points: points.slice(0, limit), nextAfterStep: points[limit - 1]!.step };
}

/** Every `k`-th point (and the last), so a curve has at most `most` points. */
function thin<T>(points: T[], most: number): T[] {
  if (points.length <= most) return points;
  const every = Math.ceil(points.length / most);
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

async function curvesSvg(deps: AppDeps, runId: string): Promise<string> {
  const run = await deps.runs.get(runId);
  const points = thin(
    (await history(deps, runId, { afterStep: -1, limit: MAX_POINTS })).points,
    MAX_CURVE_POINTS,
  );
  const series = (pairs: [keyof MetricPoint, string][]) =>
    points.flatMap((p) =>
      pairs.flatMap(([key, name]) =>
        p[key] === null ? [] : [{ step: p.step, series: name, value: p[key] as number }],
      ),
    ) satisfies CurvePoint[];
  const spec = curvesSpec(
    `${run.name ?? run.id} (${run.status}${run.testAccuracy !== null ? `, test ${(run.testAccuracy * 100).toFixed(2)} %` : ""})`,
    series([
      ["trainLoss", "train"],
      ["validationLoss", "validation"],
    ]),
    series([
      ["trainAccuracy", "train"],
      ["validationAccuracy", "validation"],
    ]),
    series([["learningRate", "lr"]]),
  );
  return renderSvg(spec);
}

export function registerRunHistoryRoutes(app: App, deps: AppDeps) {
  app.openapi(metricsRoute, async (c) => {
    const { id } = c.req.valid("param");
    await deps.runs.get(id);
    return c.json({ runId: id, ...(await history(deps, id, c.req.valid("query"))) }, 200);
  });
  app.openapi(curvesRoute("svg"), async (c) => {
    const svg = await curvesSvg(deps, c.req.valid("param").id);
    return c.body(svg, 200, { "Content-Type": "image/svg+xml" });
  });
  app.openapi(curvesRoute("png"), async (c) => {
    const png = await svgToPng(await curvesSvg(deps, c.req.valid("param").id));
    return c.body(new Uint8Array(png), 200, { "Content-Type": "image/png" });
  });
  app.openapi(evaluationRoute, async (c) => {
    const run = await deps.runs.get(c.req.valid("param").id);
    const { evaluation } = run;
    if (run.status !== "succeeded" || !evaluation || run.testAccuracy === null || run.testLoss === null) {
      throw new ProblemError(
        409,
        "RUN_NOT_FINISHED",
        `run ${run.id} is ${run.status}: evaluation exists once it succeeds`,
      );
    }
    return c.json(
      {
        runId: run.id,
        testAccuracy: run.testAccuracy,
        testLoss: run.testLoss,
        confusionMatrix: evaluation.confusionMatrix,
        perClassAccuracy: evaluation.perClassAccuracy,
      },
      200,
    );
  });
}
