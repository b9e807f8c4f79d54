// What one process saw of its store's outages (and of its disk filling up), so that a store outage is never charged to the runs in flight.
// A worker cannot renew its leases while the store is down; when the store comes back, a reaper that ran at once
// would find those leases expired and requeue the runs, spending an attempt each (three outages would fail them).
// So a process that saw the store unreachable judges no lease until one lease (plus one reaper period) has passed
// since: long enough for every live worker to renew. A worker that really died is still requeued, just later.
import { isStorageFull, isStoreUnavailable, rootMessage } from "./errors.ts";
import type { Store } from "./store.ts";

export class OutageWatch {
  private lastDownAt = Number.NEGATIVE_INFINITY;
  private lastMessage: string | undefined;

  /** `graceMs`: how long after the last failure seen leases stay unjudged (a lease plus a reaper period). */
  constructor(
    private readonly graceMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** When a write last failed for a full disk, and the disk's words. */
  lastFull: { at: number; message: string } | undefined;

  /** Notes a store error; says whether it was an outage (a full disk is noted too, but is no outage). */
  note(error: unknown): boolean {
    if (isStorageFull(error)) this.lastFull = { at: this.now(), message: rootMessage(error) };
    if (!isStoreUnavailable(error)) return false;
    this.lastDownAt = this.now();
    this.lastMessage = rootMessage(error);
    return true;
  }

  /** Whether expired leases may be requeued now: no outage seen within the grace period. */
  get mayJudgeLeases(): boolean {
    return this.now() - this.lastDownAt >= this.graceMs;
  }

  /** The last outage's message while it is recent (within the grace period), else undefined. */
  get recentProblem(): string | undefined {
    return this.mayJudgeLeases ? undefined : this.lastMessage;
  }
}

/** The store, with every failed call shown to `watch` first (the error still reaches the caller). */
export function watchOutages(store: Store, watch: OutageWatch): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "close") return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          watch.note(error);
          throw error;
        });
      };
    },
  });
}
