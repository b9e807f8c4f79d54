import { existsSync } from "node:fs";
import { join } from "node:path";
import { createRoute, z } from "@hono/zod-openapi";
import { type DatasetShape, exportTfjsModel, type ModelSpec, type RunConfig } from "@sweeplab/core";
import type { App, AppDeps } from "../../app-types.ts";
import type { RunRow } from "../../db/schema.ts";
import { ProblemError, problemResponses } from "../../problem.ts";
import { readTensorFile } from "../../runs/tensor-file.ts";
import { decodePng, PngRejected } from "./png-image.ts";
import { PredictionSchema, PredictRequestSchema, RunIdParamsSchema } from "./schemas.ts";

const modelRoute = createRoute({
  method: "get",
  operationId: "getRunModel",
  path: "/v1/runs/{id}/model",
  summary: "The trained model in TensorFlow.js layers format, one JSON download",
  description:
    "Load with `tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }))`, weightData being " +
    "`weightDataBase64` decoded. Input: raw pixels 0-255, flattened; output: class probabilities.",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema },
  responses: {
    200: {
      description: "model artifacts",
      content: {
        "application/json": {
          schema: z
            .object({
              format: z.literal("layers-model"),
              generatedBy: z.string(),
              modelTopology: z.record(z.string(), z.unknown()),
              weightSpecs: z.array(
                z.object({ name: z.string(), shape: z.array(z.int()), dtype: z.literal("float32") }),
              ),
              weightDataBase64: z.string(),
            })
            .openapi("TfjsModel"),
        },
      },
    },
    ...problemResponses(401, 404, 409),
  },
});

const predictRoute = createRoute({
  method: "post",
  operationId: "predictWithRun",
  path: "/v1/runs/{id}/predict",
  summary: "Classify images with a finished run's model",
  security: [{ bearer: [] }],
  request: {
    params: RunIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: PredictRequestSchema } } },
  },
  responses: {
    200: {
      description: "class probabilities per image",
      content: { "application/json": { schema: PredictionSchema } },
    },
    ...problemResponses(400, 401, 404, 409),
  },
});

interface Trained {
  run: RunRow;
  spec: ModelSpec;
  shape: DatasetShape;
  weightsPath: string;
}

function trained(deps: AppDeps, id: string): Trained {
  const run = deps.runs.get(id);
  const weightsPath = join(deps.runs.runDir(id), "weights.bin");
  if (run.status !== "succeeded" || !run.datasetShape || !existsSync(weightsPath)) {
    throw new ProblemError(
      409,
      "RUN_NOT_FINISHED",
      `run ${id} is ${run.status}: its model exists once it succeeds`,
    );
  }
  return { run, spec: (run.config as RunConfig).model, shape: run.datasetShape as DatasetShape, weightsPath };
}

function decodeImage(
  image: z.infer<typeof PredictRequestSchema>["images"][number],
  index: number,
  shape: DatasetShape,
): number[] {
  const size = shape.rows * shape.columns;
  let pixels: number[];
  if (Array.isArray(image)) {
    pixels = (image as (number | number[])[]).flat();
  } else {
    let png: ReturnType<typeof decodePng>;
    try {
      png = decodePng(Buffer.from(image.png, "base64"), { width: shape.columns, height: shape.rows });
    } catch (error) {
      if (!(error instanceof PngRejected)) throw error;
      throw new ProblemError(400, "INVALID_IMAGE", `images.${index}: ${error.message}`);
    }
    // Grey value of RGBA, as luminance.
    pixels = Array.from({ length: size }, (_, i) => {
      const [r, g, b] = [png.data[i * 4]!, png.data[i * 4 + 1]!, png.data[i * 4 + 2]!];
      return 0.299 * r + 0.587 * g + 0.114 * b;
    });
  }
  if (pixels.length !== size) {
    throw new ProblemError(
      400,
      "INVALID_IMAGE",
      `images.${index}: ${pixels.length} pixels, expected ${size} (${shape.rows}x${shape.columns})`,
    );
  }
  return pixels;
}

export function registerRunModelRoutes(app: App, deps: AppDeps) {
  app.openapi(modelRoute, (c) => {
    const { run, spec, shape, weightsPath } = trained(deps, c.req.valid("param").id);
    const weights = readTensorFile(weightsPath).groups.weights ?? [];
    c.header("Content-Disposition", `attachment; filename="${run.id}.model.json"`);
    return c.json(exportTfjsModel(spec, weights, shape), 200);
  });
  app.openapi(predictRoute, async (c) => {
    const { run, spec, shape, weightsPath } = trained(deps, c.req.valid("param").id);
    const images = c.req.valid("json").images.map((image, i) => decodeImage(image, i, shape));
    const predictor = await deps.predictors.get(run.id, spec, weightsPath, shape);
    const probabilities = predictor.predict(images);
    return c.json(
      {
        predictions: probabilities.map((p) => ({ label: p.indexOf(Math.max(...p)), probabilities: p })),
      },
      200,
    );
  });
}
