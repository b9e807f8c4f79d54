export type { BackendInfo, BackendName, PrepareBackendOptions, WebGpuAdapter } from "./backend/select.ts";
export {
  activeBackend,
  BACKEND_NAMES,
  BackendInfoSchema,
  BackendNameSchema,
  prepareBackend,
  WebGpuAdapterSchema,
} from "./backend/select.ts";
export type { AugmentOptions } from "./data/augment.ts";
export { augmentBatch } from "./data/augment.ts";
export { BatchSchedule } from "./data/batches.ts";
export type { DatasetShape, PreparedDataset } from "./data/dataset.ts";
export { DatasetShapeSchema, prepareDataset } from "./data/dataset.ts";
export type { IdxImages, LabelledImages } from "./data/idx.ts";
export { loadIdxPair, parseIdxImages, parseIdxLabels } from "./data/idx.ts";
export { SeededRandom } from "./data/random.ts";
export type { DatasetSpec, LoadDatasetOptions, RawDataset } from "./data/sources.ts";
export { DatasetSpecSchema, describeDataset, loadRawDataset } from "./data/sources.ts";
export type { CoreErrorCode } from "./errors.ts";
export { CORE_ERROR_CODES, CoreError, isCoreError } from "./errors.ts";
export type { Activation } from "./models/activations.ts";
export { ACTIVATIONS, ActivationSchema } from "./models/activations.ts";
export { buildModel } from "./models/build.ts";
export type { TfjsModelArtifacts } from "./models/export.ts";
export { exportTfjsModel } from "./models/export.ts";
export type { Model } from "./models/model.ts";
export type { SerializedTensor } from "./models/parameters.ts";
export type { Predictor } from "./models/predictor.ts";
export { createPredictor, loadWeights } from "./models/predictor.ts";
export type { CnnSpec, MlpSpec, ModelSpec, ModelSpecInput } from "./models/spec.ts";
export { CnnSpecSchema, MlpSpecSchema, ModelSpecSchema } from "./models/spec.ts";
export { createAdamW } from "./optim/adamw.ts";
export { createOptimizer } from "./optim/create.ts";
export type { Optimizer } from "./optim/optimizer.ts";
export { createSgd } from "./optim/sgd.ts";
export type { AdamWSpec, OptimizerSpec, SgdSpec } from "./optim/spec.ts";
export { AdamWSpecSchema, OptimizerSpecSchema, SgdSpecSchema } from "./optim/spec.ts";
export type { LearningRate, TrialRates } from "./optim/trial-rates.ts";
export type { ScheduleSpec } from "./schedule/cosine.ts";
export { learningRateAt, ScheduleSpecSchema } from "./schedule/cosine.ts";
export type { BatchedTrainEvent, TrainBatchedOptions } from "./train/batched.ts";
export { trainBatched } from "./train/batched.ts";
export { batchGroupKey, batchGroupMismatch } from "./train/batched-group.ts";
export type { RunConfig, RunConfigInput } from "./train/config.ts";
export { AugmentSpecSchema, MAX_BATCH_SIZE, MAX_STEPS, RunConfigSchema } from "./train/config.ts";
export type {
  CheckpointEvent,
  EvalEvent,
  FailedEvent,
  FinishedEvent,
  RunVersions,
  StartedEvent,
  StepEvent,
  TestEvaluation,
  TrainEvent,
  TrainingCheckpoint,
} from "./train/events.ts";
export {
  EvalEventSchema,
  FailedEventSchema,
  FinishedSummarySchema,
  RunVersionsSchema,
  StartedEventSchema,
  StepEventSchema,
} from "./train/events.ts";
export { parseRunConfig } from "./train/run-config.ts";
export type { RunFlags } from "./train/run-flags.ts";
export { CNN_RECIPE, runConfigFromFlags, STUDY_ENV } from "./train/run-flags.ts";
export type { TrainOptions } from "./train/train.ts";
export { train } from "./train/train.ts";
