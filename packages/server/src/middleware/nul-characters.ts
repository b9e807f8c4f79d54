import type { MiddlewareHandler } from "hono";
import { problemResponse } from "../problem.ts";

/** A NUL escape in JSON text: `\u0000` after an even number of backslashes (`\\u0000` is a backslash and "u0000"). */
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * No text the API takes may hold a NUL character (U+0000): PostgreSQL cannot store one in text or jsonb (it
 * answered 500 where SQLite stored it), and no name, tag, id or parameter needs one. Checked once, at the edge, for
 * every route: the URL (path parameters, query values) and JSON bodies, whatever field the NUL hides in. A 400 on
 * both dialects alike. Register after the body limit, so an oversized body is a 413 before it is read.
 */
export function rejectNulCharacters(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    if (url.includes("\0") || /%00/i.test(url)) {
      return problemResponse(
        c,
        400,
        "VALIDATION_FAILED",
        "the URL holds a NUL character (%00), which no path or query value may hold",
      );
    }
    if (BODY_METHODS.has(c.req.method) && /json/i.test(c.req.header("content-type") ?? "")) {
      const text = await c.req.text();
      if (text.includes("\0") || JSON_NUL.test(text)) {
        return problemResponse(
          c,
          400,
          "VALIDATION_FAILED",
          "request body is invalid: it holds a NUL character (\\u0000), which no text field may hold",
        );
      }
    }
    return next();
  };
}
