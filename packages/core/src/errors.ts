/** The closed set of reasons core can fail for. */
export const CORE_ERROR_CODES = [
  "INVALID_CONFIG",
  "DATA_FORMAT",
  "DATA_NOT_FOUND",
  "DATA_CHECKSUM",
  "NON_FINITE_LOSS",
  /** The run collapsed: its training loss did not fall below its starting value (see train/divergence.ts). */
  "DIVERGED",
  "ABORTED",
  "BACKEND_UNAVAILABLE",
] as const;

export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/** Every error core throws on purpose. `details` carries structured context (a file name, a field). */
export class CoreError extends Error {
  override readonly name = "CoreError";
  readonly code: CoreErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(
    code: CoreErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

export function isCoreError(error: unknown): error is CoreError {
  return error instanceof CoreError;
}
