import { isErrorCode } from "@sweeplab/contract";
import type { components } from "./generated/schema.ts";
import type { ErrorCode } from "./wire-types.ts";

/** An RFC 9457 problem body, as every error response of the service carries it. */
export type Problem = components["schemas"]["Problem"];

/** A problem as it may arrive: from an older or newer service, `code` may be one this SDK does not know. */
export type ProblemInput = Omit<Problem, "code"> & { code: string };

/**
 * An error response from the service: its problem, typed. `code` is one of the contract's codes (`HTTP_ERROR`
 * when the service sent one this SDK does not know; `problem.code` keeps what it sent).
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: Problem["errors"];
  /** The body as the service sent it. */
  readonly problem: ProblemInput;
  /** The request that failed, e.g. `GET http://gpu-host:8787/v1/runs/run_1`. */
  readonly request: string | undefined;
  /** Seconds the service asked to wait before trying again (a 429 or 503 with Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: ProblemInput, options: { request?: string; retryAfterSeconds?: number } = {}) {
    super(`${problem.code}: ${problem.detail}`);
    this.status = problem.status;
    this.code = isErrorCode(problem.code) ? problem.code : "HTTP_ERROR";
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.errors = problem.errors;
    this.problem = problem;
    this.request = options.request;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function retryAfter(response: Response): number | undefined {
  const header = response.headers.get("Retry-After");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.round((at - Date.now()) / 1000));
}

/** Reads a problem body from a failed response; a body that is not one still becomes an ApiError. */
export async function toApiError(response: Response, request?: string): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  const options = { request, retryAfterSeconds: retryAfter(response) };
  try {
    const body = JSON.parse(text) as Partial<ProblemInput>;
    if (typeof body.code === "string" && typeof body.detail === "string") {
      return new ApiError({ ...body, status: response.status } as ProblemInput, options);
    }
  } catch {}
  return new ApiError(
    {
      type: "about:blank",
      title: response.statusText,
      status: response.status,
      code: "HTTP_ERROR",
      detail: text.slice(0, 200) || response.statusText || `HTTP ${response.status}`,
    },
    options,
  );
}
