export type { BackendInfo, BackendName, PrepareBackendOptions, WebGpuAdapter } from "./backend/select.ts";
export {
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
export type { TfjsLayers, TfjsModelArtifacts } from "./models/export.ts";
export { exportTfjsLayers, exportTfjsModel } from "./models/export.ts";
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
export { closestName, describeIssues, strictObject } from "./strict-object.ts";
export type { Direction } from "./sweep/direction.ts";
export { DirectionSchema } from "./sweep/direction.ts";
export { hypervolume } from "./sweep/hypervolume.ts";
export type { ParameterImportance } from "./sweep/importance.ts";
export { parameterImportance } from "./sweep/importance.ts";
export type { LeaderboardEntry, LeaderboardOptions, LeaderboardTrial } from "./sweep/leaderboard.ts";
export { bestSoFar, buildLeaderboard } from "./sweep/leaderboard.ts";
export type { Objective, ObjectiveMetric, RunOutcome, TrialResults } from "./sweep/objectives.ts";
export {
  DEFAULT_SEED_STD,
  ObjectiveMetricSchema,
  ObjectiveSchema,
  ObjectivesSchema,
  parseObjective,
  readObjective,
  readObjectives,
  readTrialResults,
} from "./sweep/objectives.ts";
export { canonicalJson } from "./sweep/params-key.ts";
export type { ParetoPoint } from "./sweep/pareto.ts";
export { dominatesBeyondNoise, paretoFront } from "./sweep/pareto.ts";
export type { ParetoConfig, ParetoTrial } from "./sweep/pareto-configs.ts";
export { buildParetoFront } from "./sweep/pareto-configs.ts";
export type { SweepPreset, SweepPresetName } from "./sweep/presets.ts";
export { getSweepPreset, REFERENCE_SPACE, SWEEP_PRESET_NAMES, seedFollowupPreset } from "./sweep/presets.ts";
export type { AshaSettings, AshaSettingsInput } from "./sweep/pruners/asha.ts";
export { AshaSettingsSchema, decideAsha, rungStep } from "./sweep/pruners/asha.ts";
export type { EarlyStopping, EarlyStoppingInput } from "./sweep/pruners/early-stopping.ts";
export { decideEarlyStopping, EarlyStoppingSchema } from "./sweep/pruners/early-stopping.ts";
export type { MedianSettings, MedianSettingsInput } from "./sweep/pruners/median.ts";
export { decideMedian, MedianSettingsSchema } from "./sweep/pruners/median.ts";
export type { MetricPoint, OtherTrial, PruneDecision, PruneInput } from "./sweep/pruners/pruner.ts";
export type {
  AdaptiveRepeats,
  AdaptiveRepeatsInput,
  RepeatDecision,
  RepeatOptions,
  RepeatReason,
} from "./sweep/racing.ts";
export { AdaptiveRepeatsSchema, nextRepeat, pendingRepeats } from "./sweep/racing.ts";
export { gridPoints, gridSize, MAX_GRID_POINTS, proposeGrid } from "./sweep/samplers/grid.ts";
export type { MotpeInput, MultiObjectiveTrial } from "./sweep/samplers/motpe.ts";
export { MOTPE_DEFAULTS, motpeScores, nonDominatedRanks, proposeMotpe } from "./sweep/samplers/motpe.ts";
export type { MultiObjectiveInput, SweepMethod } from "./sweep/samplers/propose.ts";
export { proposeTrial, SweepMethodSchema } from "./sweep/samplers/propose.ts";
export { proposeRandom } from "./sweep/samplers/random.ts";
export type { CompletedTrial, Proposal, ProposeInput } from "./sweep/samplers/sampler.ts";
export { trialRandom } from "./sweep/samplers/sampler.ts";
export type { TpeOptions } from "./sweep/samplers/tpe.ts";
export { proposeTpe, TpeOptionsSchema } from "./sweep/samplers/tpe.ts";
export type { SeedSummary } from "./sweep/seed-noise.ts";
export { noiseBand, pooledSeedStd, summariseSeeds } from "./sweep/seed-noise.ts";
export type {
  ParameterValue,
  SearchSpace,
  SearchSpaceInput,
  SweepCondition,
  SweepParameter,
  TrialParams,
} from "./sweep/space.ts";
export {
  applyParameters,
  ConditionSchema,
  isParameterActive,
  ParameterSchema,
  parseSearchSpace,
  SearchSpaceSchema,
} from "./sweep/space.ts";
export { fitsSpace, warmStartHistory } from "./sweep/warm-start.ts";
export type { BatchedTrainEvent, TrainBatchedOptions } from "./train/batched.ts";
export { trainBatched } from "./train/batched.ts";
export { batchGroupKey, batchGroupMismatch } from "./train/batched-group.ts";
export type { RunConfig, RunConfigInput } from "./train/config.ts";
export {
  AugmentSpecSchema,
  MAX_BATCH_SIZE,
  MAX_EVAL_EVENTS,
  MAX_STEP_EVENTS,
  MAX_STEPS,
  RunConfigSchema,
} from "./train/config.ts";
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
export type { RunMemoryEstimate } from "./train/memory.ts";
export { estimateRunMemory } from "./train/memory.ts";
export { parseRunConfig } from "./train/run-config.ts";
export type { RunEvent, RunEventType, RunStatus } from "./train/run-events.ts";
export {
  isTerminalEvent,
  RUN_STATUSES,
  RunEventSchema,
  RunStatusSchema,
  TERMINAL_EVENT_STATUS,
  TERMINAL_STATUSES,
} from "./train/run-events.ts";
export type { RunFlags } from "./train/run-flags.ts";
export { CNN_RECIPE, runConfigFromFlags, STUDY_ENV } from "./train/run-flags.ts";
export type { TrainOptions } from "./train/train.ts";
export { train } from "./train/train.ts";
