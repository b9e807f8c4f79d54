import { createClient } from "@sweeplab/sdk";

/**
 * The service that served this page. No token: after login the browser sends the HttpOnly session cookie with
 * every same-origin request (fetch's default `credentials: "same-origin"`), event streams included.
 */
export const client = createClient({ baseUrl: location.origin });
