// @sweeplab/sdk: a typed client for a sweeplab service. The wire schemas come from @sweeplab/contract and are
// re-exported here, so a service that calls sweeplab needs nothing else (no TensorFlow.js).
export * from "@sweeplab/contract";
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
  SweepCreate,
  SweepLeaderboardPage,
  SweepList,
  SweepListQuery,
  SweeplabClient,
  SweepPageQuery,
  SweepPlotKind,
  SweepQuery,
  SweepSummary,
  SweepTrial,
  SweepTrialsPage,
  SweepWaitOptions,
  TfjsModel,
  TokenSource,
  WaitOptions,
} from "./client.ts";
export { createClient } from "./client.ts";
export type { Problem, ProblemInput } from "./errors.ts";
export { ApiError, isApiError } from "./errors.ts";
export type { EventsOptions, RunEvent, SequencedRunEvent } from "./events.ts";
export { EventFormatError } from "./events.ts";
export type { components, operations, paths } from "./generated/schema.ts";
export type { SweepEvent, SweepEventsOptions } from "./sweep-events.ts";
export { ConnectionError, isTransportError, TimeoutError, TransportError } from "./transport-errors.ts";
export { SDK_VERSION } from "./version.ts";
