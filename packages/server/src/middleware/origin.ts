import type { MiddlewareHandler } from "hono";
import { isLoopbackHost } from "../config.ts";
import { problemResponse } from "../problem.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface OriginPolicy {
  /** Browser origins, besides the service's own, allowed to send state-changing requests (lower case). */
  allowedOrigins: readonly string[];
  /** Refuse a Host header that is not a loopback name (the service listens on loopback: DNS rebinding). */
  loopbackHostsOnly: boolean;
}

/** `localhost:8787` -> `localhost`, `[::1]:8787` -> `[::1]`. */
function hostName(host: string): string {
  const bracket = /^(\[[^\]]*\])(:\d+)?$/.exec(host);
  if (bracket) return bracket[1]!;
  return host.replace(/:\d+$/, "");
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.origin === "null" ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/**
 * Cross-site protection for a service a browser can reach. A state-changing request that carries an `Origin`
 * (every browser sends one on a cross-origin POST) must come from the service's own origin (a dashboard it
 * serves) or from the allow-list; requests without `Origin` (curl, the CLI, the SDK in Node) are unaffected.
 * On loopback, a `Host` that is not a loopback name means a DNS-rebinding page, and is refused on every method.
 */
export function originGuard(policy: OriginPolicy): MiddlewareHandler {
  const allowed = new Set(policy.allowedOrigins);
  return async (c, next) => {
    const host = c.req.header("host");
    if (policy.loopbackHostsOnly && host !== undefined && !isLoopbackHost(hostName(host.toLowerCase()))) {
      return problemResponse(
        c,
        403,
        "HOST_NOT_ALLOWED",
        `this service listens on loopback and answers only to localhost, 127.0.0.1 or [::1], not ${host.slice(0, 100)}`,
      );
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && STATE_CHANGING.has(c.req.method)) {
      const given = originOf(origin);
      const own = new URL(c.req.url).origin;
      if (given === undefined || (given !== own && !allowed.has(given))) {
        return problemResponse(
          c,
          403,
          "ORIGIN_NOT_ALLOWED",
          `${c.req.method} from origin ${origin.slice(0, 100)} is refused: only ${own} and SWEEPLAB_ALLOWED_ORIGINS may change state`,
        );
      }
    }
    return next();
  };
}
