import type { CoreErrorCode } from "@sweeplab/contract";

// The codes are one closed list in @sweeplab/contract, beside the API's and the clients'.
export type { CoreErrorCode } from "@sweeplab/contract";
export { CORE_ERROR_CODES } from "@sweeplab/contract";

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
