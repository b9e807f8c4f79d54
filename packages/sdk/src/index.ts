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
  SweeplabClient,
  TfjsModel,
  WaitOptions,
} from "./client.ts";
export { createClient } from "./client.ts";
export type { Problem } from "./errors.ts";
export { ApiError, isApiError } from "./errors.ts";
export type { EventsOptions, RunEvent, SequencedRunEvent } from "./events.ts";
export { EventFormatError } from "./events.ts";
export type { components, operations, paths } from "./generated/schema.ts";
