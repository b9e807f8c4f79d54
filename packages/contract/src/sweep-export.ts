import { z } from "zod";
import { BackendInfoSchema } from "./backend-info.ts";
import { DatasetShapeSchema } from "./dataset-shape.ts";
import { RunConfigSchema } from "./run-config.ts";
import { RunEventSchema, RunStatusSchema } from "./run-events.ts";
import { SearchSpaceSchema } from "./search-space.ts";
import { SweepStatusSchema } from "./sweep.ts";
import { DirectionSchema, SweepMethodSchema } from "./sweep-settings.ts";
import { RunVersionsSchema } from "./training-events.ts";

/** What a sweep export file says it is: `GET /v1/sweeps/{id}/export` writes it, `POST /v1/sweeps/import` reads it. */
export const SWEEP_EXPORT_FORMAT = "sweeplab.sweep-export";
/** The one version of the format this package reads and writes; a later version gets a new literal here. */
export const SWEEP_EXPORT_VERSION = 1;
/** Runs one export holds at most (10,000 trials of one repeat, or fewer with repeats, fit). */
export const MAX_EXPORT_RUNS = 20_000;
/** Metric rows, and events, one exported run holds at most (the run config's own caps keep real runs far below). */
export const MAX_EXPORT_ROWS_PER_RUN = 100_000;

const iso = z.iso.datetime();
/** Steps, indices, counts and event numbers: the stores keep them in 32-bit integer columns. */
const count = z.int().min(0).max(2_147_483_647);
const nullableNumber = z.number().nullable();

/**
 * The sweep's stored spec: the fields every version of the service reads are checked here; fields a newer
 * service adds (objectives, budgets) pass through as they are, so they survive a round trip.
 */
export const SweepExportSpecSchema = z
  .looseObject({
    preset: z.string().nullable(),
    base: z.record(z.string(), z.unknown()),
    space: SearchSpaceSchema,
    method: SweepMethodSchema,
    trials: z.int().min(1),
    seed: z.int().min(0),
    /** Seeds per config (a number; a newer service may write another form, which passes through). */
    repeats: z.union([z.int().min(1), z.string()]),
    metric: z.string().min(1),
    direction: DirectionSchema,
  })
  .meta({ id: "SweepExportSpec" });

/** One stored metric row: a logged step (`loss`, `learningRate`, `msPerStep`) or an evaluation (the rest). */
export const SweepExportMetricSchema = z
  .strictObject({
    step: count,
    kind: z.enum(["step", "eval"]),
    loss: nullableNumber,
    learningRate: nullableNumber,
    msPerStep: nullableNumber,
    trainLoss: nullableNumber,
    trainAccuracy: nullableNumber,
    validationLoss: nullableNumber,
    validationAccuracy: nullableNumber,
  })
  .meta({ id: "SweepExportMetric" });

/** One stored run event, numbered from 1 without gaps, as `GET /v1/runs/{id}/events` replays it. */
export const SweepExportEventSchema = z
  .strictObject({
    seq: count.min(1),
    createdAt: iso,
    // Its own component name: the document's `RunEvent` is the output shape the event streams send.
    event: RunEventSchema.meta({ id: "SweepExportRunEvent" }),
  })
  .meta({ id: "SweepExportEvent" });

/** A finished run's test-set evaluation (no weights: an export never carries a model). */
export const SweepExportEvaluationSchema = z
  .strictObject({
    loss: z.number(),
    accuracy: z.number(),
    confusionMatrix: z.array(z.array(z.number())),
    perClassAccuracy: z.array(z.number()),
  })
  .meta({ id: "SweepExportEvaluation" });

/** One run of a trial: its config (with its seed), how it ended, where it trained, and everything it logged. */
export const SweepExportRunSchema = z
  .strictObject({
    /** The run's id on the service that exported it (an import gives it a new one). */
    id: z.string().min(1).max(64),
    name: z.string().max(300).nullable(),
    tags: z.array(z.string().max(100)).max(50),
    repeatIndex: count,
    /** Which attempt of its trial repeat: 0, then one more per re-run (resume, retry) of the same config and seed. */
    trialAttempt: count.default(0),
    /** The run (an `id` in this file, same trial and repeat) this attempt re-runs; null for a first attempt. */
    retryOf: z.string().min(1).max(64).nullable().default(null),
    /** The run's seed (its config's `seed`), spelled out. */
    seed: z.int(),
    status: RunStatusSchema,
    /** Times a worker took the run (more than 1 after a worker died). */
    attempts: count,
    step: count,
    totalSteps: count,
    config: RunConfigSchema,
    testAccuracy: nullableNumber,
    testLoss: nullableNumber,
    bestValidationAccuracy: nullableNumber,
    msPerStep: nullableNumber,
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    /** Where it trained: the backend and its devices, package versions, the model's parameter count. */
    environment: z
      .strictObject({ backend: BackendInfoSchema, versions: RunVersionsSchema, parameterCount: z.int() })
      .nullable(),
    datasetShape: DatasetShapeSchema.nullable(),
    evaluation: SweepExportEvaluationSchema.nullable(),
    createdAt: iso,
    startedAt: iso.nullable(),
    finishedAt: iso.nullable(),
    metrics: z.array(SweepExportMetricSchema).max(MAX_EXPORT_ROWS_PER_RUN),
    events: z.array(SweepExportEventSchema).max(MAX_EXPORT_ROWS_PER_RUN),
  })
  .meta({ id: "SweepExportRun" });

/**
 * One trial: the parameters its sampler proposed, the trials complete when it did (TPE's history), and its runs
 * (one per repeat). Fields a newer service records with a trial pass through.
 */
export const SweepExportTrialSchema = z
  .looseObject({
    index: count,
    params: z.record(z.string(), z.unknown()),
    history: z.array(count),
    runs: z.array(SweepExportRunSchema).min(1),
  })
  .meta({ id: "SweepExportTrial" });

/**
 * A whole sweep in one file: its spec, its trials with their runs' configs, statuses, metrics and events, and
 * where they trained; never weights or checkpoints. Importing it on any service rebuilds the same leaderboard.
 */
export const SweepExportSchema = z
  .strictObject({
    format: z.literal(SWEEP_EXPORT_FORMAT, {
      error: `not a sweep export: \`format\` must be "${SWEEP_EXPORT_FORMAT}"`,
    }),
    version: z.literal(SWEEP_EXPORT_VERSION, {
      error: `this service reads sweep exports of version ${SWEEP_EXPORT_VERSION}`,
    }),
    exportedAt: iso,
    /** The service that wrote the file. */
    exportedBy: z.strictObject({ name: z.literal("sweeplab"), version: z.string() }),
    sweep: z.strictObject({
      /** The sweep's id on the service that exported it. */
      id: z.string().min(1).max(64),
      name: z.string().max(200).nullable(),
      status: SweepStatusSchema,
      stopReason: z.string().nullable(),
      createdAt: iso,
      finishedAt: iso.nullable(),
      spec: SweepExportSpecSchema,
    }),
    trials: z
      .array(SweepExportTrialSchema)
      .max(MAX_EXPORT_RUNS)
      .refine((trials) => trials.reduce((n, t) => n + t.runs.length, 0) <= MAX_EXPORT_RUNS, {
        message: `an export holds at most ${MAX_EXPORT_RUNS} runs`,
      }),
  })
  .meta({ id: "SweepExport" });
export type SweepExport = z.infer<typeof SweepExportSchema>;
export type SweepExportTrial = z.infer<typeof SweepExportTrialSchema>;
export type SweepExportRun = z.infer<typeof SweepExportRunSchema>;

/** What `POST /v1/sweeps/import` answers: the new sweep's id, and each exported run id with its new one. */
export const SweepImportResultSchema = z
  .object({
    id: z.string(),
    /** The sweep's id in the file it came from. */
    importedFrom: z.string(),
    runIds: z.record(z.string(), z.string()),
  })
  .meta({ id: "SweepImportResult" });
export type SweepImportResult = z.infer<typeof SweepImportResultSchema>;
