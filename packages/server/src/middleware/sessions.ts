import { randomBytes } from "node:crypto";

/** The cookie the dashboard's login sets: a random session id, never the token itself. */
export const SESSION_COOKIE = "sweeplab_session";
/**
 * Its name over TLS: the `__Host-` prefix makes browsers take it only when Secure, from this host, with Path=/
 * and no Domain, so no sibling subdomain or plain-HTTP page can plant or overwrite it.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
const TTL_MS = 7 * 24 * 3600 * 1000;
/** Sessions held at most: past it, expired ones go first, then the oldest (its browser logs in again). */
const MAX_SESSIONS = 10_000;

/**
 * Browser sessions, kept in memory: `POST /v1/session` trades a valid token for a random 256-bit id, the cookie
 * carries only that id, `DELETE /v1/session` forgets it. A restart logs browsers out (they ask for the token
 * again); nothing derived from the token reaches the browser, and logout really ends the session. The table is
 * bounded: 220k logins once grew the process by 170 MB, never returned.
 */
export function createSessionStore(now: () => number = Date.now, maxSessions = MAX_SESSIONS) {
  /** Session id -> expiry; Map order is creation order, and every session lives as long, so expiry order too. */
  const sessions = new Map<string, number>();
  const prune = () => {
    const at = now();
    for (const [id, expires] of sessions) {
      if (expires > at) break;
      sessions.delete(id);
    }
    while (sessions.size >= maxSessions) {
      const oldest = sessions.keys().next().value;
      if (oldest === undefined) break;
      sessions.delete(oldest);
    }
  };
  return {
    ttlSeconds: TTL_MS / 1000,
    create(): string {
      prune();
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
    get size() {
      return sessions.size;
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
