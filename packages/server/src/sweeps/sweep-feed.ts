// A sweep's progress for its event streams: one producer per sweep, however many streams follow it. The producer
// refreshes the sweep's shared incremental state (sweep-state.ts: one query when nothing changed, otherwise only the
// runs that did) while anyone listens, and hands each subscriber the rows that changed since it last took:
// its first take is the whole snapshot, the later ones only the runs that changed (the latest state of each,
// so a slow reader's backlog is bounded by the number of runs). When the sweep ends every subscriber gets its
// summary once. Streams are capped per sweep and in total.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { DomainError } from "../domain-error.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import { type SweepReport, sweepReport, type TrialRow } from "./report.ts";
import type { SweepState } from "./sweep-state.ts";
import type { SweepStates } from "./sweep-states.ts";

/** When a refused stream is worth asking for again, in seconds. */
const STREAMS_RETRY_S = 10;

export interface SweepFeedOptions {
  /** How often a followed sweep is read from the store. */
  pollMs: number;
  maxStreams: number;
  maxStreamsPerSweep: number;
  /** The `sweep` event's data, from the sweep's final report. */
  summarize(report: SweepReport): unknown;
}

/** What a subscriber takes: trial rows that changed (the snapshot, first), then the summary once the sweep ended. */
export interface FeedTake {
  rows: TrialRow[];
  /** More rows are waiting (a large snapshot goes out in parts). */
  more?: boolean;
  summary?: unknown;
}

export class SweepSubscription {
  private pending = new Map<string, TrialRow>();
  private summary: unknown;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(readonly close: () => void) {}

  /** @internal the feed's side */
  push(rows: Iterable<TrialRow>): void {
    for (const row of rows) {
      this.pending.delete(row.runId);
      this.pending.set(row.runId, row);
    }
    this.wake?.();
  }

  /** @internal Forgets the rows not taken yet: what is pending now is the state as of the subscription. */
  skip(): void {
    this.pending.clear();
  }

  /** @internal */
  end(summary: unknown): void {
    this.ended = true;
    this.summary = summary;
    this.wake?.();
  }

  /**
   * Rows changed since the last take (each run's latest), at most `max` of them (the rest wait for the next take:
   * `more` says so), and the summary once the sweep ended and every row was taken.
   */
  take(max = Number.POSITIVE_INFINITY): FeedTake {
    const rows: TrialRow[] = [];
    for (const [runId, row] of this.pending) {
      if (rows.length >= max) break;
      rows.push(row);
      this.pending.delete(runId);
    }
    if (this.pending.size > 0) return { rows, more: true };
    if (!this.ended) return { rows };
    return { rows, summary: this.summary };
  }

  /** Resolves when there is something to take, after `timeoutMs`, or when `signal` aborts. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.pending.size > 0 || this.ended || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener("abort", done, { once: true });
      this.wake = done;
    });
  }
}

/** One followed sweep: refreshes its shared state while it has subscribers and hands them the rows that changed. */
class SweepFeed {
  readonly subscribers = new Set<SweepSubscription>();
  private state: SweepState | undefined;
  /** The state's version the subscribers have been handed. */
  private version = 0;
  private summary: { value: unknown } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failing = false;
  readonly loaded: Promise<void>;
  /** Store reads made, for tests and the benchmark: the work does not grow with the number of streams. */
  reads = 0;

  constructor(
    private readonly sweepId: string,
    private readonly store: Store,
    private readonly states: SweepStates,
    private readonly log: Logger,
    private readonly options: SweepFeedOptions,
    private readonly onEnded: () => void,
  ) {
    this.loaded = this.refresh();
  }

  /**
   * Adds a subscriber, whose first take is the snapshot unless `snapshot` is false (and the summary, if the sweep
   * has ended).
   */
  add(subscription: SweepSubscription, snapshot: boolean): void {
    this.subscribers.add(subscription);
    // A subscriber waiting on the feed's first read was handed every row by it: without a snapshot, none is owed.
    if (snapshot) subscription.push(this.state?.rows() ?? []);
    else subscription.skip();
    if (this.summary) subscription.end(this.summary.value);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped || this.summary) return;
    this.timer = setTimeout(() => void this.refresh(), this.options.pollMs);
  }

  private async refresh(): Promise<void> {
    try {
      this.reads += 1;
      const sweep = await this.store.getSweep(this.sweepId);
      // SQLite answers synchronously: each read gets its own task, so other requests get in between.
      await yieldToLoop();
      if (sweep) {
        const state = await this.states.get(sweep);
        this.reads += 1;
        // A state read afresh (the first time, or after it was dropped to save memory) counts from 0 again.
        const handed = state === this.state ? this.version : 0;
        this.state = state;
        if (state.version !== handed) {
          const changed = state.changedSince(handed);
          this.version = state.version;
          if (changed.length > 0) for (const s of this.subscribers) s.push(changed);
        }
      }
      if (sweep?.status !== "running") {
        const summary = sweep ? this.options.summarize(await sweepReport(this.states, sweep)) : null;
        this.summary = { value: summary };
        for (const s of this.subscribers) s.end(summary);
        this.onEnded();
      }
      this.failing = false;
    } catch (error) {
      // Streams stay open and the next refresh tries again; the error is logged once per outage.
      if (!this.failing) this.log.warn({ err: error, sweepId: this.sweepId }, "sweep feed refresh failed");
      this.failing = true;
    } finally {
      this.schedule();
    }
  }
}

/** Every followed sweep's feed, and the caps on streams. One per app. */
export class SweepFeeds {
  private readonly feeds = new Map<string, SweepFeed>();
  private open = 0;

  constructor(
    private readonly store: Store,
    private readonly states: SweepStates,
    private readonly log: Logger,
    private readonly options: SweepFeedOptions,
  ) {}

  /** Streams open now, over all sweeps. */
  get streams(): number {
    return this.open;
  }

  /** Store reads made by the feed of `sweepId` (undefined when nobody follows it). */
  readsOf(sweepId: string): number | undefined {
    return this.feeds.get(sweepId)?.reads;
  }

  /**
   * A subscription to the sweep's progress (close it when the stream ends): every trial run first, unless
   * `snapshot` is false, then what changes. Throws TOO_MANY_STREAMS past the cap per sweep and STREAMS_EXHAUSTED
   * past the total, both with a Retry-After.
   */
  async subscribe(sweepId: string, options: { snapshot?: boolean } = {}): Promise<SweepSubscription> {
    const existing = this.feeds.get(sweepId);
    if (existing && existing.subscribers.size >= this.options.maxStreamsPerSweep) {
      throw new DomainError(
        "TOO_MANY_STREAMS",
        `sweep ${sweepId} has ${existing.subscribers.size} event streams open (limit ${this.options.maxStreamsPerSweep}); close one or poll GET /v1/sweeps/${sweepId}`,
        STREAMS_RETRY_S,
      );
    }
    if (this.open >= this.options.maxStreams) {
      throw new DomainError(
        "STREAMS_EXHAUSTED",
        `${this.open} sweep event streams are open (limit ${this.options.maxStreams}); try again later`,
        STREAMS_RETRY_S,
      );
    }
    this.open += 1;
    let feed = existing;
    if (!feed) {
      const created = new SweepFeed(sweepId, this.store, this.states, this.log, this.options, () => {
        if (this.feeds.get(sweepId) === created) this.feeds.delete(sweepId);
        created.stop();
      });
      feed = created;
      this.feeds.set(sweepId, feed);
    }
    const subscription = new SweepSubscription(() => {
      if (!feed.subscribers.delete(subscription)) return;
      this.open -= 1;
      if (feed.subscribers.size === 0) {
        feed.stop();
        if (this.feeds.get(sweepId) === feed) this.feeds.delete(sweepId);
      }
    });
    feed.subscribers.add(subscription);
    await feed.loaded;
    feed.subscribers.delete(subscription);
    feed.add(subscription, options.snapshot ?? true);
    return subscription;
  }
}
