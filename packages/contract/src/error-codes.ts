// Plain lists (no zod), as statuses.ts: the dashboard's first bundle checks codes without the schemas.

/** The closed set of reasons core (training, data, search spaces) can fail for. */
export const CORE_ERROR_CODES = [
  "INVALID_CONFIG",
  "DATA_FORMAT",
  "DATA_NOT_FOUND",
  "DATA_CHECKSUM",
  "NON_FINITE_LOSS",
  /** The run collapsed: its training loss did not fall below its starting value. */
  "DIVERGED",
  "ABORTED",
  "BACKEND_UNAVAILABLE",
] as const;
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/** Why a request failed: the `code` of every problem+json body the service sends. */
export const API_ERROR_CODES = [
  // 400
  "VALIDATION_FAILED",
  "BAD_REQUEST",
  "INVALID_CURSOR",
  "INVALID_IMAGE",
  "INVALID_SWEEP",
  /** A sweep export file that parses but does not hold together (a repeat twice, events out of order). */
  "INVALID_SWEEP_EXPORT",
  "DATASET_NOT_ALLOWED",
  // 401, 403
  "UNAUTHORIZED",
  "ORIGIN_NOT_ALLOWED",
  "HOST_NOT_ALLOWED",
  // 404, 405
  "NOT_FOUND",
  "RUN_NOT_FOUND",
  "SWEEP_NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  // 409, 413, 415, 422
  "RUN_ACTIVE",
  "RUN_FINISHED",
  "RUN_NOT_FINISHED",
  "SWEEP_FINISHED",
  "SWEEP_SINGLE_OBJECTIVE",
  /** A resume asked of a sweep that is running. */
  "SWEEP_ACTIVE",
  /** A resume asked while a stopped sweep's trial runs are still stopping (try again in a moment). */
  "SWEEP_STOPPING",
  /** A retry asked of a sweep none of whose trials failed or diverged. */
  "NOTHING_TO_RETRY",
  /** The sweep came from an export file: a record of work done elsewhere, never resumed, retried or extended. */
  "SWEEP_IMPORTED",
  "MODEL_MISSING",
  "INVALID_TRANSITION",
  "BODY_TOO_LARGE",
  "RUN_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_RESERVED",
  // 429, 503: too much at once, or the store is away for a moment (Retry-After says when to try again)
  "QUEUE_FULL",
  "TOO_MANY_STREAMS",
  "TOO_MANY_AUTH_FAILURES",
  "STREAMS_EXHAUSTED",
  "STORE_UNAVAILABLE",
  // 507: the store's disk is full
  "STORAGE_FULL",
  // 500 (and a status the service does not name)
  "HTTP_ERROR",
  "INTERNAL",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Why a run ended badly, beyond core's codes: the store's reasons for a run it stopped. */
export const RUN_ERROR_CODES = [...CORE_ERROR_CODES, "INTERNAL", "CANCELED", "TOO_MANY_ATTEMPTS"] as const;
export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

/** What the SDK and the CLI report for failures that never reached the service, or were the caller's own. */
export const CLIENT_ERROR_CODES = [
  "UNREACHABLE",
  "TIMEOUT",
  "USAGE",
  "CONFIG",
  "INTERRUPTED",
  "DATA_FOLDER_IN_USE",
  "SERVER_NOT_INSTALLED",
  "EVENT_FORMAT",
  "SWEEP_FAILED",
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/**
 * Every error code sweeplab has, in one closed list: core's, the API's, the store's and the clients'. The OpenAPI
 * document's `Problem.code` is this enum; a new code is added here first.
 */
export const ERROR_CODES = [
  ...new Set([...CORE_ERROR_CODES, ...API_ERROR_CODES, ...RUN_ERROR_CODES, ...CLIENT_ERROR_CODES]),
] as unknown as readonly [ErrorCode, ...ErrorCode[]];
export type ErrorCode = CoreErrorCode | ApiErrorCode | RunErrorCode | ClientErrorCode;

/** True for a string that is one of sweeplab's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}
