import type { MiddlewareHandler } from "hono";

/** Framing: only this service's own pages may frame its pages (another port's page is another origin). */
const FRAME_POLICY = "frame-ancestors 'self'";
/**
 * An image, opened on its own, may run nothing and fetch nothing: the plots hold names and parameters clients
 * chose, and an SVG document is a document.
 */
const IMAGE_POLICY = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; ${FRAME_POLICY}`;

/**
 * Content-Security-Policy on every response: `frame-ancestors 'self'` (with X-Frame-Options for older browsers),
 * so a page on another origin cannot frame the dashboard, the docs or a plot to trick clicks; and for SVG images a
 * policy that allows no script or fetch at all. A response that sets its own policy keeps it (framing added).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const own = c.res.headers.get("content-security-policy");
    // A route with a policy of its own (the docs page) keeps it, framing included.
    if (own) {
      if (!own.includes("frame-ancestors"))
        c.res.headers.set("Content-Security-Policy", `${own}; ${FRAME_POLICY}`);
    } else {
      const svg = c.res.headers.get("content-type")?.startsWith("image/svg+xml") ?? false;
      c.res.headers.set("Content-Security-Policy", svg ? IMAGE_POLICY : FRAME_POLICY);
    }
    c.res.headers.set("X-Frame-Options", "SAMEORIGIN");
  };
}

/** Logged and echoed paths are cut to this many characters: a 15 KB path must not write 15 KB per request. */
export const MAX_LOGGED_PATH = 256;

/** A request path as logs and problem details show it: at most MAX_LOGGED_PATH characters, and how long it was. */
export function loggedPath(path: string): string {
  return path.length <= MAX_LOGGED_PATH ? path : `${path.slice(0, MAX_LOGGED_PATH)}…(${path.length} chars)`;
}
