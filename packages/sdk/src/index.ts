export type {
  ClientOptions,
  Evaluation,
  Predictions,
  PredictRequest,
  ResolvedRunConfig,
  Run,
  RunConfig,
  RunCreate,
  RunList,
  RunListQuery,
  RunMetrics,
  Status,
  Sweep,
  SweepCreate,
  SweeplabClient,
  SweepPlotKind,
  SweepSummary,
  SweepTrial,
  TfjsModel,
  WaitOptions,
} from "./client.ts";
export { createClient } from "./client.ts";
export type { Problem } from "./errors.ts";
export { ApiError, isApiError } from "./errors.ts";
export type { EventsOptions, RunEvent, SequencedRunEvent } from "./events.ts";
export { EventFormatError } from "./events.ts";
export type { components, operations, paths } from "./generated/schema.ts";
export type { SweepEvent } from "./sweep-events.ts";
