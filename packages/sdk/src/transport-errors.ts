import type { ClientErrorCode } from "./generated/contract-types.ts";

/**
 * A request that got no answer from the service: the connection failed (`UNREACHABLE`: refused, no such host,
 * reset) or no answer came in time (`TIMEOUT`). `url` is the address tried; `cause` is the underlying error.
 */
export class TransportError extends Error {
  override readonly name: string = "TransportError";
  readonly code: Extract<ClientErrorCode, "UNREACHABLE" | "TIMEOUT">;
  readonly url: string;

  constructor(
    code: "UNREACHABLE" | "TIMEOUT",
    url: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.code = code;
    this.url = url;
  }
}

/** The service could not be reached: connection refused, unknown host, connection reset. */
export class ConnectionError extends TransportError {
  override readonly name = "ConnectionError";
  constructor(url: string, cause?: unknown) {
    const socket = (cause as { cause?: { code?: string; message?: string } })?.cause;
    const reason = socket?.code ?? socket?.message ?? (cause as Error)?.message;
    super("UNREACHABLE", url, `cannot reach ${url}${reason ? ` (${reason})` : ""}`, { cause });
  }
}

/** No answer within the request's timeout (`timeoutMs`). */
export class TimeoutError extends TransportError {
  override readonly name = "TimeoutError";
  constructor(url: string, timeoutMs: number | undefined, cause?: unknown) {
    super("TIMEOUT", url, `no answer from ${url} within ${timeoutMs ?? "?"} ms`, { cause });
  }
}

export function isTransportError(error: unknown): error is TransportError {
  return error instanceof TransportError;
}

/**
 * Maps what fetch and ky throw when no response came into a TransportError; anything else (an ApiError, the
 * caller's own abort) is returned as it is.
 */
export function toTransportError(error: unknown, url: string, timeoutMs?: number): unknown {
  const name = (error as { name?: string })?.name;
  if (name === "TimeoutError" && !(error instanceof TransportError))
    return new TimeoutError(url, timeoutMs, error);
  // fetch rejects with a TypeError ("fetch failed", its cause the socket error) when no connection was made.
  if (error instanceof TypeError) return new ConnectionError(url, error);
  return error;
}
