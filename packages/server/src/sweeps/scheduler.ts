// The sweep scheduler: one more reader of the store. Each pass it looks at every running sweep's trials, ends the
// sweep when it is complete or keeps failing, and proposes the next trials while fewer than `parallelism` train.
// It keeps no state of its own that matters: a restarted service (or a second API process) carries on where the
// store says. A pass runs when a trial ends (this service's workers and routes say so) and on a slower poll, the
// fallback for workers on other hosts. Each sweep is advanced on its own: one sweep's failure never stops another's.
import { setTimeout as sleep, setImmediate as yieldToLoop } from "node:timers/promises";
import { applyParameters, isCoreError, proposeTrial, type RunConfigInput } from "@sweeplab/core";
import { trialIdempotencyKey } from "../admission.ts";
import { isDomainError } from "../domain-error.ts";
import type { Logger } from "../log.ts";
import type { RunService } from "../runs/run-service.ts";
import type { Store, SweepRecord } from "../store/store.ts";
import { racingRepeats } from "./adaptive-repeats.ts";
import { rerunsDue, submitAttempt } from "./attempts.ts";
import { runningSince, trialLimitReason, trialRunsLeft, wallClockSpent } from "./budget.ts";
import { specObjectives } from "./objective-results.ts";
import { isImportedSweep } from "./share/import-sweep.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { sweepRecordKey } from "./sweep-state.ts";
import { SweepStates } from "./sweep-states.ts";
import {
  completedMultiObjectiveTrials,
  completedTrials,
  consecutiveFailures,
  groupTrials,
  initialRepeats,
  type TrialRecord,
} from "./trials.ts";

/** Running sweeps read per page of a pass. */
const SWEEPS_PER_PAGE = 100;

/** A config the run queue refuses whatever the moment (invalid, or refused by admission); a full queue is not. */
const refusedForGood = (error: unknown) => isCoreError(error) || (isDomainError(error) && !error.transient);

export class SweepScheduler {
  private timer: NodeJS.Timeout | undefined;
  /** The pass in progress, and the one asked for while it runs (it starts when the first ends). */
  private running: Promise<void> | undefined;
  private following: Promise<void> | undefined;
  /** Sweeps waiting for their own advance (created, or a trial ended); and that advance in progress. */
  private readonly ended = new Set<string>();
  private advancing: Promise<void> | undefined;
  /** The last error logged per sweep, so a sweep failing the same way every pass logs it once. */
  private readonly lastError = new Map<string, string>();
  /**
   * Per sweep, what its last full pass read (its runs' change key and the sweep's own record) when that pass found
   * nothing to queue: a pass that would read the same would decide the same, so it is skipped. At 10,000 trials a
   * full pass holds the event loop every second: grouping every run into trials alone takes 20-55 ms (src/scripts/
   * bench-sweep-reads.ts, a quiet machine), then racing, budgets and proposals.
   */
  private readonly idle = new Map<string, string>();
  /** Full passes made (a sweep's trials grouped and judged), for tests: an unchanged idle sweep costs none. */
  fullPasses = 0;
  /** Each sweep's runs as last read, brought up to date by what changed; the routes and streams share them. */
  readonly states: SweepStates;

  constructor(
    private readonly store: Store,
    private readonly runs: RunService,
    private readonly log: Logger,
    private readonly intervalMs: number,
    /** The least time between the end of a pass and the start of the next one asked for meanwhile. */
    private readonly gapMs = 50,
    /** The time a pass sees (budgets read it); tests move it by hand. */
    private readonly now: () => number = Date.now,
  ) {
    this.states = new SweepStates(store);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.following;
    await this.advancing;
  }

  /**
   * A pass over the running sweeps that starts after this call: the one starting now, or, while one runs (it may
   * have read a trial before it ended), the next one. Calls during a pass share that next one, so passes never
   * pile up and a caller never waits for more than two.
   */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // The next pass waits a moment after this one: trial ends arriving back to back share one pass, and the
    // scheduler never takes the whole event loop.
    this.following ??= this.running
      .then(() => sleep(this.gapMs))
      .then(() => {
        this.following = undefined;
        return this.tick();
      });
    return this.following;
  }

  /**
   * A run ended (a worker of this service finished it, or a route canceled or deleted it): if it is a sweep's trial,
   * that sweep is advanced now, without a pass over every sweep. Never rejects (callers do not wait): a store that
   * cannot answer leaves the sweep to the next poll. `sweepId` when the caller knows it (a deleted run is gone).
   */
  async runEnded(runId: string, sweepId?: string | null): Promise<void> {
    const id =
      sweepId !== undefined ? sweepId : (await this.store.getRun(runId).catch(() => undefined))?.sweepId;
    if (id) await this.advanceSoon(id);
  }

  /** Advances one sweep (just created, or one of its trials ended); requests arriving together share one advance. */
  advanceSoon(sweepId: string): Promise<void> {
    this.ended.add(sweepId);
    this.advancing ??= (async () => {
      for (;;) {
        // Cleared in the same task that finds nothing left, so a later request always starts a new advance.
        if (this.ended.size === 0) {
          this.advancing = undefined;
          return;
        }
        const ids = [...this.ended];
        this.ended.clear();
        for (const id of ids) {
          // Its own task: the request that asked (a cancel, a creation) is not held up by the advance.
          await yieldToLoop();
          const sweep = await this.store.getSweep(id).catch(() => undefined);
          if (sweep?.status === "running") await this.advanceLogged(sweep);
        }
        // Ends arriving back to back share the next advance; the scheduler never takes the whole event loop.
        if (this.ended.size > 0) await sleep(this.gapMs);
      }
    })();
    return this.advancing;
  }

  private async pass(): Promise<void> {
    let after: string | undefined;
    for (;;) {
      let page: SweepRecord[];
      try {
        page = await this.store.listRunningSweeps(after, SWEEPS_PER_PAGE);
      } catch (error) {
        this.log.error({ err: error }, "listing running sweeps failed; retrying next pass");
        return;
      }
      for (const sweep of page) {
        // The store answers synchronously (SQLite): without a yield a pass over many sweeps is one long task.
        await yieldToLoop();
        await this.advanceLogged(sweep);
      }
      if (page.length < SWEEPS_PER_PAGE) return;
      after = page.at(-1)!.id;
    }
  }

  /** Advances one sweep; an error is logged (once while it repeats) and never reaches the other sweeps. */
  private async advanceLogged(sweep: SweepRecord): Promise<void> {
    try {
      await this.advance(sweep);
      this.lastError.delete(sweep.id);
    } catch (error) {
      const message = String((error as Error)?.message ?? error);
      if (this.lastError.get(sweep.id) !== message) {
        this.lastError.set(sweep.id, message);
        this.log.error({ err: error, sweepId: sweep.id }, "advancing a sweep failed; retrying next pass");
      }
    }
  }

  private async advance(sweep: SweepRecord): Promise<void> {
    // An imported sweep is a record of work done elsewhere: never scheduled, whatever its status says.
    if (isImportedSweep(sweep)) return;
    const spec = sweep.spec as SweepSpec;
    const spent = wallClockSpent(sweep, spec.budget, this.now());
    if (spent) {
      await this.end(sweep, "succeeded", spent);
      return;
    }
    // Every attempt (budgets count them all); ranking and proposing read each trial repeat's latest attempt.
    const state = await this.states.get(sweep);
    // What the pass reads besides the clock (a wall-clock budget is checked above): the runs and the sweep's record.
    const read = `${state.changeKey}|${sweepRecordKey(sweep)}`;
    if (this.idle.get(sweep.id) === read) return;
    this.idle.delete(sweep.id);
    this.fullPasses += 1;
    let queued = 0;
    const allRuns = state.allRuns();
    const runs = state.runs();
    const trials = groupTrials(runs, state.lastEvals(), spec, state.objectiveResults());
    // Failures before the sweep last started running (a resume or reopening) were judged already.
    const since = runningSince(sweep);
    const failures = consecutiveFailures(
      trials.filter((t) => t.finishedAt === null || t.finishedAt >= since),
    );
    if (failures >= spec.maxConsecutiveFailures) {
      const reason = `stopped after ${failures} trials in a row failed or diverged (limit ${spec.maxConsecutiveFailures}): the space keeps producing configurations that do not train`;
      await this.end(sweep, "failed", reason);
      return;
    }
    // Trials are proposed in index order, so the next index is one past the last; an index below it with no run
    // was deleted by a client and is not proposed again (the sweep would never end while it kept coming back).
    const next = trials.length === 0 ? 0 : trials.at(-1)!.index + 1;
    const racing = racingRepeats(trials, spec, next);
    const due = rerunsDue(sweep, runs);
    let left = trialRunsLeft(spec.budget, allRuns);
    const complete =
      next >= spec.trials && trials.every((t) => t.done) && due.length === 0 && racing.length === 0;
    if (!complete && left === 0 && spec.budget && trials.every((t) => t.done)) {
      await this.store.endSweep(sweep.id, { status: "succeeded", reason: trialLimitReason(spec.budget) });
      this.lastError.delete(sweep.id);
      this.log.info({ sweepId: sweep.id }, "sweep stopped by its trial budget");
      return;
    }
    if (complete) {
      await this.store.endSweep(sweep.id, { status: "succeeded" });
      this.lastError.delete(sweep.id);
      this.log.info({ sweepId: sweep.id }, "sweep finished");
      return;
    }
    try {
      // A trial whose repeats were not all created (a crash between two) gets the missing ones first.
      for (const trial of trials) {
        for (let repeat = trial.runs.length; repeat < initialRepeats(spec) && left > 0; repeat++, left--) {
          await this.submit(sweep, spec, trial.index, repeat, {
            params: trial.params,
            history: trial.history,
          });
          queued += 1;
        }
      }
      let active = trials.filter((t) => !t.done).length;
      // Re-runs first (a resume's canceled trials, a retry's failed ones), as many as parallelism and budget allow.
      for (const run of due) {
        if (active >= spec.parallelism || left <= 0) break;
        try {
          // The state keeps lean rows: the re-run's config (its seed included) is read from the run itself.
          const full = await this.store.getRun(run.id);
          if (!full) continue;
          await submitAttempt(this.runs, sweep, full);
          queued += 1;
        } catch (error) {
          throw new TrialRefused(run.trialIndex ?? 0, error);
        }
        active += 1;
        left -= 1;
      }
      const objectives = specObjectives(spec);
      for (let index = next; index < spec.trials && active < spec.parallelism && left > 0; index++) {
        // A warm start's trials come first in the history (numbered before 0), then this sweep's own.
        const history = [...(spec.warmStart?.trials ?? []), ...completedTrials(trials)];
        let record: TrialRecord;
        try {
          const { params } = proposeTrial(
            spec.method,
            {
              space: spec.space,
              base: spec.base,
              seed: spec.seed,
              trialIndex: index,
              history,
              direction: spec.direction,
            },
            spec.tpe,
            objectives
              ? {
                  history: completedMultiObjectiveTrials(trials, spec),
                  directions: objectives.map((o) => o.direction),
                }
              : undefined,
          );
          record = { params, history: history.map((t) => t.trialIndex) };
        } catch (error) {
          throw new TrialRefused(index, error);
        }
        for (let repeat = 0; repeat < initialRepeats(spec) && left > 0; repeat++, left--) {
          await this.submit(sweep, spec, index, repeat, record);
          queued += 1;
        }
        active += 1;
      }
      // Adaptive repeats: one more seed for each config racing asks for, while there is room.
      for (const { trial, repeat } of racing) {
        if (active >= spec.parallelism || left <= 0) break;
        await this.submit(sweep, spec, trial.index, repeat, { params: trial.params, history: trial.history });
        queued += 1;
        if (trial.done) active += 1;
        left -= 1;
      }
      // Nothing queued (trials running up to parallelism, or the budget's runs all spent): the next pass that reads
      // the same runs and the same sweep would queue nothing either.
      if (queued === 0) this.idle.set(sweep.id, read);
    } catch (error) {
      const refusal = error instanceof TrialRefused ? error : undefined;
      const cause = refusal ? refusal.cause : error;
      // A full queue: wait for it to drain (the next pass tries again) rather than overfill it.
      if (isDomainError(cause) && cause.transient) return;
      // Proposing or queueing it again would fail the same way every pass: the sweep could never finish.
      if (refusal && refusedForGood(cause)) {
        await this.end(sweep, "failed", `trial #${refusal.index} cannot run: ${(cause as Error).message}`);
        return;
      }
      throw cause;
    }
  }

  private async submit(
    sweep: SweepRecord,
    spec: SweepSpec,
    index: number,
    repeat: number,
    record: TrialRecord,
  ): Promise<void> {
    try {
      const config = applyParameters(spec.base, spec.space, record.params) as RunConfigInput & {
        seed?: number;
      };
      config.seed = (config.seed ?? 0) + repeat;
      await this.runs.submit({
        config,
        name: `${sweep.name ?? sweep.id} #${index}${spec.repeats > 1 ? ` seed ${config.seed}` : ""}`,
        tags: ["sweep"],
        sweep: { sweepId: sweep.id, trialIndex: index, repeatIndex: repeat, trial: record },
        idempotencyKey: trialIdempotencyKey(sweep.id, index, repeat),
      });
    } catch (error) {
      throw new TrialRefused(index, error);
    }
  }

  /** Ends a sweep (a budget's stop: succeeded, with its reason) and cancels what it still has queued or training. */
  async end(sweep: SweepRecord, status: "succeeded" | "failed" | "canceled", reason: string): Promise<void> {
    const ended = await this.store.endSweep(sweep.id, { status, reason });
    this.lastError.delete(sweep.id);
    this.idle.delete(sweep.id);
    if (!ended) return;
    for (const run of await this.store.sweepRuns(sweep.id)) {
      if (run.status === "queued" || run.status === "running") {
        await this.store.requestCancel(run.id, `sweep ${status}`).catch(() => {});
      }
    }
    // A sweep canceled on request is no warning (it would print in the middle of an embedded CLI's table).
    this.log[status === "failed" ? "warn" : "info"]({ sweepId: sweep.id, status, reason }, "sweep ended");
  }
}

/** Proposing or queueing trial `index` failed with `cause`. */
class TrialRefused extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`trial #${index}: ${String((cause as Error)?.message ?? cause)}`);
  }
}
