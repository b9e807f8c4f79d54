// A sweep's progress for its event streams: one producer per sweep, however many streams follow it. The producer
// polls the store while anyone listens (one query for the sweep, one for its runs; the eval metrics only when a run
// newly succeeded), keeps the current row of every trial run, and hands each subscriber what changed since it last
// took: its first take is the whole snapshot, the later ones only the runs that changed (the latest state of each,
// so a slow reader's backlog is bounded by the number of runs). When the sweep ends every subscriber gets its
// summary once. Streams are capped per sweep and in total.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { DomainError } from "../domain-error.ts";
import type { Logger } from "../log.ts";
import type { RunRecord, Store, SweepRecord } from "../store/store.ts";
import { buildSweepReport, type SweepReport, type TrialRow, toTrialRow } from "./report.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { evalsByRun, runMetric, type TrialRecord } from "./trials.ts";

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

  /** @internal */
  end(summary: unknown): void {
    this.ended = true;
    this.summary = summary;
    this.wake?.();
  }

  /** Rows changed since the last take (each run's latest), and the summary once the sweep ended. */
  take(): FeedTake {
    const rows = [...this.pending.values()];
    this.pending.clear();
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

const signature = (row: TrialRow) => `${row.status} ${row.step} ${row.value}`;
const byTrial = (a: TrialRow, b: TrialRow) => a.trialIndex - b.trialIndex || a.repeatIndex - b.repeatIndex;

/** One followed sweep: its runs' current rows, refreshed while it has subscribers. */
class SweepFeed {
  readonly subscribers = new Set<SweepSubscription>();
  private readonly rows = new Map<string, TrialRow>();
  private readonly signatures = new Map<string, string>();
  /** The metric of each run that succeeded (read once, when it did). */
  private readonly values = new Map<string, number | null>();
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
    private readonly log: Logger,
    private readonly options: SweepFeedOptions,
    private readonly onEnded: () => void,
  ) {
    this.loaded = this.refresh();
  }

  /** Adds a subscriber, whose first take is the snapshot (and the summary, if the sweep has ended). */
  add(subscription: SweepSubscription): void {
    this.subscribers.add(subscription);
    subscription.push([...this.rows.values()].sort(byTrial));
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
      this.reads += 2;
      const sweep = await this.store.getSweep(this.sweepId);
      // SQLite answers synchronously: each read gets its own task, so other requests get in between.
      await yieldToLoop();
      const runs = sweep ? await this.store.sweepRuns(this.sweepId) : [];
      await yieldToLoop();
      if (sweep) await this.update(sweep, runs);
      if (sweep?.status !== "running") {
        this.reads += 2;
        const summary = sweep ? this.options.summarize(await buildSweepReport(this.store, sweep)) : null;
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

  private async update(sweep: SweepRecord, runs: RunRecord[]): Promise<void> {
    const spec = sweep.spec as SweepSpec;
    const fresh = runs.filter(
      (run) => run.trialIndex !== null && run.status === "succeeded" && !this.values.has(run.id),
    );
    if (fresh.length > 0) {
      this.reads += 1;
      const evals = evalsByRun(await this.store.sweepMetrics(sweep.id));
      for (const run of fresh) this.values.set(run.id, runMetric(run, evals.get(run.id) ?? [], spec));
    }
    const changed: TrialRow[] = [];
    for (const run of runs) {
      if (run.trialIndex === null) continue;
      const params = (run.trial as TrialRecord).params;
      const row = toTrialRow(run, params, this.values.get(run.id) ?? null, 0);
      const state = signature(row);
      if (this.signatures.get(run.id) === state) continue;
      this.signatures.set(run.id, state);
      this.rows.set(run.id, row);
      changed.push(row);
    }
    if (changed.length > 0) for (const s of this.subscribers) s.push(changed);
  }
}

/** Every followed sweep's feed, and the caps on streams. One per app. */
export class SweepFeeds {
  private readonly feeds = new Map<string, SweepFeed>();
  private open = 0;

  constructor(
    private readonly store: Store,
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
   * A subscription to the sweep's progress (close it when the stream ends). Throws TOO_MANY_STREAMS past the cap
   * per sweep and STREAMS_EXHAUSTED past the total, both with a Retry-After.
   */
  async subscribe(sweepId: string): Promise<SweepSubscription> {
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
      const created = new SweepFeed(sweepId, this.store, this.log, this.options, () => {
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
    feed.add(subscription);
    return subscription;
  }
}
