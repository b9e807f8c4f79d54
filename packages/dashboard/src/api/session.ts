import { isApiError } from "@sweeplab/sdk";
import { useSyncExternalStore } from "react";

export const isUnauthorized = (error: unknown) => isApiError(error) && error.status === 401;

function createFlag(initial: boolean) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: boolean) {
      value = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Set when any request answered 401: the app then asks for the token once. */
export const loginRequired = createFlag(false);
export const useLoginRequired = () => useSyncExternalStore(loginRequired.subscribe, loginRequired.get);

// The session endpoints are not in the SDK (a CLI holds a token, not a cookie): plain same-origin fetches.
async function problemDetail(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { detail?: string } | null;
  return body?.detail ?? `HTTP ${response.status}`;
}

/** Trades the token for an HttpOnly session cookie. */
export async function logIn(token: string): Promise<void> {
  const response = await fetch("/v1/session", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (!response.ok) throw new Error(await problemDetail(response));
}

/** Clears the session cookie (and ends the session on the server). */
export async function logOut(): Promise<void> {
  const response = await fetch("/v1/session", { method: "DELETE" });
  if (!response.ok && response.status !== 204) throw new Error(await problemDetail(response));
}
