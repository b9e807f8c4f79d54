import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** RFC 9457 problem details, as every error response carries them. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://sweeplab.dev/problems/not-found" }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().openapi({ example: "NOT_FOUND" }),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");
export type Problem = z.infer<typeof ProblemSchema>;

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  507: "Insufficient Storage",
};

/** An error a handler throws on purpose; the app's one error handler turns it into a problem response. */
export class ProblemError extends Error {
  override readonly name = "ProblemError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly errors?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export function problemBody(
  c: Context,
  status: number,
  code: string,
  detail: string,
  errors?: Problem["errors"],
): Problem {
  return {
    type: `https://sweeplab.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    code,
    requestId: c.get("requestId"),
    ...(errors ? { errors } : {}),
  };
}

export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  detail: string,
  errors?: Problem["errors"],
) {
  return c.body(JSON.stringify(problemBody(c, status, code, detail, errors)), status, {
    "Content-Type": "application/problem+json",
  });
}

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: TITLES[status] ?? "Error",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    ]),
  );
