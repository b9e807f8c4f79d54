// The service's refusals, whatever the transport: a closed list of codes. Domain code (run service, admission,
// sweeps) throws these and never knows HTTP; app.ts maps each code to its status in one place.

export const DOMAIN_ERROR_CODES = [
  "RUN_NOT_FOUND",
  "RUN_ACTIVE",
  "DATASET_NOT_ALLOWED",
  "RUN_TOO_LARGE",
  "QUEUE_FULL",
  "IDEMPOTENCY_KEY_RESERVED",
  "INVALID_SWEEP",
  "TOO_MANY_STREAMS",
  "STREAMS_EXHAUSTED",
  "NOTHING_TO_RETRY",
  "SWEEP_NOT_FOUND",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Refusals that depend on the moment (the queue drains), not on the request: asking again later may succeed. */
const TRANSIENT: readonly DomainErrorCode[] = ["QUEUE_FULL", "TOO_MANY_STREAMS", "STREAMS_EXHAUSTED"];

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For a transient refusal: when asking again is worth it, in seconds. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }

  /** Whether the same request may succeed later (a full queue), rather than being refused whatever the moment. */
  get transient(): boolean {
    return TRANSIENT.includes(this.code);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
