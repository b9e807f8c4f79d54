import type { Context } from "hono";

/** The last item of a comma-separated forwarding header: what the proxy next to this service appended. */
const lastItem = (header: string | undefined) => header?.split(",").at(-1)?.trim().toLowerCase() || undefined;

/**
 * The address of the client that sent a request: the socket's peer, or, behind a proxy this service trusts
 * (SWEEPLAB_TRUST_PROXY), the last address of `X-Forwarded-For` (the one that proxy appended; earlier ones are
 * whatever the client wrote). In-process requests (tests' `app.request`) have no socket: "local".
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = lastItem(c.req.header("x-forwarded-for"));
    if (forwarded) return forwarded.slice(0, 64);
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}

/** Whether the client reached this service over TLS: its own URL, or a trusted proxy's `X-Forwarded-Proto`. */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return trustProxy && lastItem(c.req.header("x-forwarded-proto")) === "https";
}
