import { createRoute, z } from "@hono/zod-openapi";
import { type DatasetShape, exportTfjsLayers, type ModelSpec, type SerializedTensor } from "@sweeplab/core";
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError, problemResponses } from "../../problem.ts";
import type { RunRecord } from "../../store/store.ts";
import { decodeWeights } from "../../workers/tensor-bundle.ts";
import { decodePng, PngRejected } from "./png-image.ts";
import { PredictionSchema, PredictRequestSchema, RunIdParamsSchema } from "./schemas.ts";

const WeightsManifestSchema = z.array(
  z.object({
    paths: z.array(z.string()),
    weights: z.array(z.object({ name: z.string(), shape: z.array(z.int()), dtype: z.literal("float32") })),
  }),
);

const modelRoute = createRoute({
  method: "get",
  operationId: "getRunModel",
  path: "/v1/runs/{id}/model",
  summary: "The trained model's TensorFlow.js model.json (topology and weights manifest)",
  description:
    "A standard TensorFlow.js layers `model.json`: `tf.loadLayersModel(url)` loads it, fetching the weights from " +
    "`model/weights.bin` beside it. Input: raw pixels 0-255, flattened; output: class probabilities.",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema },
  responses: {
    200: {
      description: "model.json",
      content: {
        "application/json": {
          schema: z
            .object({
              format: z.literal("layers-model"),
              generatedBy: z.string(),
              modelTopology: z.record(z.string(), z.unknown()),
              weightsManifest: WeightsManifestSchema,
            })
            .openapi("TfjsModel"),
        },
      },
    },
    ...problemResponses(401, 404, 409),
  },
});

const weightsRoute = createRoute({
  method: "get",
  operationId: "getRunModelWeights",
  path: "/v1/runs/{id}/model/weights.bin",
  summary: "The trained model's weights: float32 little-endian, in the manifest's order, streamed",
  security: [{ bearer: [] }],
  request: { params: RunIdParamsSchema },
  responses: {
    200: {
      description: "weights.bin",
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
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
  run: RunRecord;
  spec: ModelSpec;
  shape: DatasetShape;
  loadWeights: () => Promise<SerializedTensor[]>;
}

async function trained(deps: AppDeps, id: string): Promise<Trained> {
  const run = await deps.runs.get(id);
  if (run.status !== "succeeded" || !run.datasetShape) {
    throw new ProblemError(
      409,
      "RUN_NOT_FINISHED",
      `run ${id} is ${run.status}: its model exists once it succeeds`,
    );
  }
  const loadWeights = async () => {
    const artifact = await deps.store.getArtifact(id, "weights");
    if (!artifact) throw new ProblemError(409, "MODEL_MISSING", `run ${id} has no stored weights`);
    return decodeWeights(artifact.bytes);
  };
  return { run, spec: run.config.model, shape: run.datasetShape!, loadWeights };
}

async function layers(deps: AppDeps, id: string) {
  const { spec, shape, loadWeights } = await trained(deps, id);
  return exportTfjsLayers(spec, await loadWeights(), shape);
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
  app.openapi(modelRoute, async (c) => {
    const { modelTopology, weights } = await layers(deps, c.req.valid("param").id);
    return c.json(
      {
        format: "layers-model" as const,
        generatedBy: "sweeplab",
        modelTopology,
        weightsManifest: [
          {
            paths: ["model/weights.bin"],
            weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: "float32" as const })),
          },
        ],
      },
      200,
    );
  });
  app.openapi(weightsRoute, async (c) => {
    const { weights } = await layers(deps, c.req.valid("param").id);
    const bytes = weights.reduce((n, w) => n + w.values.byteLength, 0);
    // One tensor per chunk: no copy of the whole model, no base64, however large it is.
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const w = weights[next++];
        if (!w) return controller.close();
        controller.enqueue(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength));
      },
    });
    return c.body(body, 200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(bytes),
    });
  });
  app.openapi(predictRoute, async (c) => {
    const { run, spec, shape, loadWeights } = await trained(deps, c.req.valid("param").id);
    const images = c.req.valid("json").images.map((image, i) => decodeImage(image, i, shape));
    const predictor = await deps.predictors.get(run.id, spec, loadWeights, shape);
    const probabilities = predictor.predict(images);
    return c.json(
      {
        predictions: probabilities.map((p) => ({ label: p.indexOf(Math.max(...p)), probabilities: p })),
      },
      200,
    );
  });
}
