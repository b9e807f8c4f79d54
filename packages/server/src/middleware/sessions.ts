import { randomBytes } from "node:crypto";

/** The cookie the dashboard's login sets: a random session id, never the token itself. */
export const SESSION_COOKIE = "sweeplab_session";
const TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Browser sessions, kept in memory: `POST /v1/session` trades a valid token for a random 256-bit id, the cookie
 * carries only that id, `DELETE /v1/session` forgets it. A restart logs browsers out (they ask for the token
 * again); nothing derived from the token reaches the browser, and logout really ends the session.
 */
export function createSessionStore(now: () => number = Date.now) {
  const sessions = new Map<string, number>();
  return {
    ttlSeconds: TTL_MS / 1000,
    create(): string {
      const id = randomBytes(32).toString("base64url");
      sessions.set(id, now() + TTL_MS);
      return id;
    },
    has(id: string | undefined): boolean {
      if (!id) return false;
      const expires = sessions.get(id);
      if (expires === undefined) return false;
      if (expires > now()) return true;
      sessions.delete(id);
      return false;
    },
    delete(id: string | undefined) {
      if (id) sessions.delete(id);
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
