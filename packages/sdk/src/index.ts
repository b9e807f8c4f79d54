// @sweeplab/sdk: a typed client for a sweeplab service. Its types come from the service's OpenAPI document; the
// contract's constants, guards and event checks are bundled in (contract.ts), so it installs with ky alone (no
// zod, no TensorFlow.js). The zod schemas are @sweeplab/contract's, for those who want them.
export type {
  ClientOptions,
  Evaluation,
  LeaderboardEntry,
  MetricPoint,
  Predictions,
  PredictRequest,
  RequestOptions,
  ResolvedRunConfig,
  Run,
  RunConfig,
  RunCreate,
  RunList,
  RunListQuery,
  RunMetrics,
  RunMetricsQuery,
  Status,
  Sweep,
  SweepBudget,
  SweepCreate,
  SweepExtend,
  SweepLeaderboardPage,
  SweepList,
  SweepListQuery,
  SweeplabClient,
  SweepPageQuery,
  SweepPlotKind,
  SweepQuery,
  SweepResume,
  SweepSummary,
  SweepTrial,
  SweepTrialsPage,
  SweepWaitOptions,
  TfjsModel,
  TokenSource,
  WaitOptions,
} from "./client.ts";
export { createClient } from "./client.ts";
export type {
  ApiErrorCode,
  ClientErrorCode,
  CoreErrorCode,
  RunErrorCode,
  TerminalEventStatus,
  TerminalEventType,
} from "./contract.ts";
export {
  ACTIVATIONS,
  API_ERROR_CODES,
  BACKEND_NAMES,
  CLIENT_ERROR_CODES,
  CORE_ERROR_CODES,
  ERROR_CODES,
  isErrorCode,
  isTerminal,
  isTerminalEvent,
  MAX_BATCH_SIZE,
  MAX_CATEGORICAL_VALUES,
  MAX_EVAL_EVENTS,
  MAX_SPACE_PARAMETERS,
  MAX_STEP_EVENTS,
  MAX_STEPS,
  MAX_VALUE_DEPTH,
  PLOT_KINDS,
  parseRunEvent,
  RUN_ERROR_CODES,
  RUN_STATUSES,
  SWEEP_STATUSES,
  TERMINAL_EVENT_STATUS,
  TERMINAL_STATUSES,
} from "./contract.ts";
export type { Problem, ProblemInput } from "./errors.ts";
export { ApiError, isApiError } from "./errors.ts";
export type { EventsOptions, SequencedRunEvent } from "./events.ts";
export { EventFormatError } from "./events.ts";
export type { components, operations, paths } from "./generated/schema.ts";
export type { SweepEventsOptions } from "./sweep-events.ts";
export { ConnectionError, isTransportError, TimeoutError, TransportError } from "./transport-errors.ts";
export { SDK_VERSION } from "./version.ts";
export type {
  Activation,
  BackendName,
  ErrorCode,
  EvalEvent,
  FailedEvent,
  RunEvent,
  RunEventType,
  RunStatus,
  StartedEvent,
  StepEvent,
  SweepEvent,
  SweepExport,
  SweepImportResult,
  SweepStatus,
} from "./wire-types.ts";
