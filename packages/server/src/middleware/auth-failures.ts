/**
 * Failed authentications per client address, so that guessing tokens costs time: past `maxFailures` wrong tokens
 * within a window, that address is refused (429, Retry-After) until the window ends. A success clears its count.
 * The table is bounded (`maxClients`): expired entries go first, then the oldest, so a flood of addresses costs
 * memory once, not for ever.
 */
export interface AuthFailureLimiter {
  /** Milliseconds until `client` may try again; 0 when it may now. */
  blockedMs(client: string): number;
  fail(client: string): void;
  succeed(client: string): void;
  readonly size: number;
}

export function createAuthFailureLimiter(options: {
  maxFailures: number;
  windowMs: number;
  maxClients?: number;
  now?: () => number;
}): AuthFailureLimiter {
  const { maxFailures, windowMs, maxClients = 10_000, now = Date.now } = options;
  /** Per client: failures in its current window and when that window started (Map order: oldest first). */
  const clients = new Map<string, { failures: number; since: number }>();

  // A window starts when its entry is (re)inserted, so Map order is window order: the expired ones come first.
  const prune = (at: number) => {
    for (const [client, entry] of clients) {
      if (at - entry.since < windowMs) break;
      clients.delete(client);
    }
    while (clients.size >= maxClients) {
      const oldest = clients.keys().next().value;
      if (oldest === undefined) break;
      clients.delete(oldest);
    }
  };

  return {
    blockedMs(client) {
      const entry = clients.get(client);
      if (!entry || entry.failures < maxFailures) return 0;
      const left = entry.since + windowMs - now();
      if (left > 0) return left;
      clients.delete(client);
      return 0;
    },
    fail(client) {
      const at = now();
      const entry = clients.get(client);
      if (entry && at - entry.since < windowMs) {
        entry.failures += 1;
        return;
      }
      clients.delete(client);
      if (clients.size >= maxClients) prune(at);
      clients.set(client, { failures: 1, since: at });
    },
    succeed(client) {
      clients.delete(client);
    },
    get size() {
      return clients.size;
    },
  };
}
