// @sweeplab/contract: what crosses the wire between the service, the SDK, the CLI and the dashboard, as zod
// schemas (zod is the only dependency: no TensorFlow.js, no Node built-ins). Each schema carries its OpenAPI
// component name (`.meta({ id })`); the service publishes them and every client checks against them.

export type { Activation } from "./activation-names.ts";
export { ACTIVATIONS, ActivationSchema } from "./activation-names.ts";
export type { BackendInfo, BackendName, WebGpuAdapter } from "./backend-info.ts";
export { BACKEND_NAMES, BackendInfoSchema, BackendNameSchema, WebGpuAdapterSchema } from "./backend-info.ts";
export type { DatasetShape } from "./dataset-shape.ts";
export { DatasetShapeSchema } from "./dataset-shape.ts";
export type { DatasetSpec } from "./dataset-spec.ts";
export { DatasetSpecSchema } from "./dataset-spec.ts";
export { ErrorCodeSchema } from "./error-code-schema.ts";
export type { ApiErrorCode, ClientErrorCode, CoreErrorCode, ErrorCode, RunErrorCode } from "./error-codes.ts";
export {
  API_ERROR_CODES,
  CLIENT_ERROR_CODES,
  CORE_ERROR_CODES,
  ERROR_CODES,
  isErrorCode,
  RUN_ERROR_CODES,
} from "./error-codes.ts";
export type { CnnSpec, MlpSpec, ModelSpec, ModelSpecInput } from "./model-spec.ts";
export { CnnSpecSchema, MlpSpecSchema, ModelSpecSchema } from "./model-spec.ts";
export type { AdamWSpec, OptimizerSpec, SgdSpec } from "./optimizer-spec.ts";
export { AdamWSpecSchema, OptimizerSpecSchema, SgdSpecSchema } from "./optimizer-spec.ts";
export type { RunConfig, RunConfigInput } from "./run-config.ts";
export {
  AugmentSpecSchema,
  MAX_BATCH_SIZE,
  MAX_EVAL_EVENTS,
  MAX_STEP_EVENTS,
  MAX_STEPS,
  RunConfigSchema,
} from "./run-config.ts";
export type { RunEvent, RunEventType } from "./run-events.ts";
export {
  CanceledEventSchema,
  CheckpointSavedEventSchema,
  ClaimedEventSchema,
  DivergedEventSchema,
  PrunedEventSchema,
  parseRunEvent,
  QueuedEventSchema,
  RequeuedEventSchema,
  RunEventSchema,
  RunStatusSchema,
} from "./run-events.ts";
export type { ScheduleSpec } from "./schedule-spec.ts";
export { ScheduleSpecSchema } from "./schedule-spec.ts";
export type {
  ParameterValue,
  SearchSpace,
  SearchSpaceInput,
  SweepCondition,
  SweepParameter,
  TrialParams,
} from "./search-space.ts";
export {
  CategoricalParameterSchema,
  ConditionSchema,
  IntParameterSchema,
  LogUniformParameterSchema,
  MAX_CATEGORICAL_VALUES,
  MAX_SPACE_PARAMETERS,
  MAX_VALUE_DEPTH,
  ParameterSchema,
  SearchSpaceSchema,
  UniformParameterSchema,
} from "./search-space.ts";
export type { RunStatus, SweepStatus } from "./statuses.ts";
export {
  isTerminal,
  isTerminalEvent,
  RUN_STATUSES,
  SWEEP_STATUSES,
  TERMINAL_EVENT_STATUS,
  TERMINAL_STATUSES,
} from "./statuses.ts";
export { closestName, describeIssues, describeUnknownFields, strictObject } from "./strict-object.ts";
export type { SweepEvent, SweepPlotKind, SweepSummary, SweepTrial } from "./sweep.ts";
export {
  PLOT_KINDS,
  SweepEventSchema,
  SweepPlotKindSchema,
  SweepStatusSchema,
  SweepSummarySchema,
  SweepTrialSchema,
} from "./sweep.ts";
export type { SweepExport, SweepExportRun, SweepExportTrial, SweepImportResult } from "./sweep-export.ts";
export {
  MAX_EXPORT_ROWS_PER_RUN,
  MAX_EXPORT_RUNS,
  SWEEP_EXPORT_FORMAT,
  SWEEP_EXPORT_VERSION,
  SweepExportEvaluationSchema,
  SweepExportEventSchema,
  SweepExportMetricSchema,
  SweepExportRunSchema,
  SweepExportSchema,
  SweepExportSpecSchema,
  SweepExportTrialSchema,
  SweepImportResultSchema,
} from "./sweep-export.ts";
export type { SweepBudget, SweepExtend, SweepResume } from "./sweep-lifecycle.ts";
export { SweepBudgetSchema, SweepExtendSchema, SweepResumeSchema } from "./sweep-lifecycle.ts";
export type { Objective, ObjectiveMetric, ParetoFrontEntry, SweepPareto } from "./sweep-objectives.ts";
export {
  ObjectiveMetricSchema,
  ObjectiveSchema,
  ObjectivesSchema,
  ParetoFrontEntrySchema,
  SweepParetoSchema,
} from "./sweep-objectives.ts";
export type {
  AshaSettings,
  AshaSettingsInput,
  Direction,
  EarlyStopping,
  EarlyStoppingInput,
  MedianSettings,
  MedianSettingsInput,
  SweepMethod,
} from "./sweep-settings.ts";
export {
  AshaSettingsSchema,
  DirectionSchema,
  EarlyStoppingSchema,
  MedianSettingsSchema,
  SweepMethodSchema,
} from "./sweep-settings.ts";
export type {
  EvalEvent,
  FailedEvent,
  RunVersions,
  StartedEvent,
  StepEvent,
} from "./training-events.ts";
export {
  EvalEventSchema,
  FailedEventSchema,
  FinishedSummarySchema,
  RunVersionsSchema,
  StartedEventSchema,
  StepEventSchema,
} from "./training-events.ts";
