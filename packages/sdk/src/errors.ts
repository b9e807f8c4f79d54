import type { components } from "./generated/schema.ts";

export type Problem = components["schemas"]["Problem"];

/** An error response from the service: its RFC 9457 problem, typed. Network and timeout errors stay ky's own. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: Problem["errors"];

  constructor(problem: Problem) {
    super(`${problem.code}: ${problem.detail}`);
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.errors = problem.errors;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Reads a problem body from a failed response; a body that is not one still becomes an ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body.code === "string" && typeof body.detail === "string") {
      return new ApiError({ ...body, status: response.status } as Problem);
    }
  } catch {}
  return new ApiError({
    type: "about:blank",
    title: response.statusText,
    status: response.status,
    code: `HTTP_${response.status}`,
    detail: text.slice(0, 200) || response.statusText,
  });
}
