// The sweep scheduler: one more reader of the store. Each tick it looks at every running sweep's trials, ends the
// sweep when it is complete or keeps failing, and proposes the next trials while fewer than `parallelism` train.
// It keeps no state of its own: a restarted service (or a second API process) carries on where the store says.
import { applyParameters, isCoreError, proposeTrial, type RunConfigInput } from "@sweeplab/core";
import type { Logger } from "../log.ts";
import { ProblemError } from "../problem.ts";
import type { RunService } from "../runs/run-service.ts";
import type { Store, SweepRecord } from "../store/store.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { completedTrials, consecutiveFailures, evalsByRun, groupTrials, type TrialRecord } from "./trials.ts";

/** A config the run queue refuses whatever the moment (invalid, or a dataset the service forbids); a full queue is not. */
const refusedForGood = (error: unknown) =>
  isCoreError(error) || (error instanceof ProblemError && error.status !== 429 && error.status < 500);

export class SweepScheduler {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly runs: RunService,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /** One pass over the running sweeps; overlapping calls share the pass in flight. */
  tick(): Promise<void> {
    this.ticking ??= this.pass().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async pass(): Promise<void> {
    try {
      for (const sweep of await this.store.listSweeps(1000)) {
        if (sweep.status === "running") await this.advance(sweep);
      }
    } catch (error) {
      this.log.error({ err: error }, "sweep scheduling failed; retrying next tick");
    }
  }

  private async advance(sweep: SweepRecord): Promise<void> {
    const spec = sweep.spec as SweepSpec;
    const runs = await this.store.sweepRuns(sweep.id);
    const trials = groupTrials(runs, evalsByRun(await this.store.sweepMetrics(sweep.id)), spec);
    const failures = consecutiveFailures(trials);
    if (failures >= spec.maxConsecutiveFailures) {
      const reason = `stopped after ${failures} trials in a row failed or diverged (limit ${spec.maxConsecutiveFailures}): the space keeps producing configurations that do not train`;
      await this.end(sweep, "failed", reason);
      return;
    }
    if (trials.length >= spec.trials && trials.every((t) => t.done)) {
      await this.store.endSweep(sweep.id, { status: "succeeded" });
      this.log.info({ sweepId: sweep.id }, "sweep finished");
      return;
    }
    // A trial whose repeats were not all created (a crash between two) gets the missing ones first.
    for (const trial of trials) {
      for (let repeat = trial.runs.length; repeat < spec.repeats; repeat++) {
        await this.submit(sweep, spec, trial.index, repeat, { params: trial.params, history: trial.history });
      }
    }
    let active = trials.filter((t) => !t.done).length;
    for (let index = trials.length; index < spec.trials && active < spec.parallelism; index++) {
      const history = completedTrials(trials);
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
        );
        const record: TrialRecord = { params, history: history.map((t) => t.trialIndex) };
        for (let repeat = 0; repeat < spec.repeats; repeat++)
          await this.submit(sweep, spec, index, repeat, record);
      } catch (error) {
        // Proposing or queueing it again would fail the same way every tick: the sweep could never finish.
        if (!refusedForGood(error)) throw error;
        await this.end(sweep, "failed", `trial #${index} cannot run: ${(error as Error).message}`);
        return;
      }
      active += 1;
    }
  }

  private async submit(
    sweep: SweepRecord,
    spec: SweepSpec,
    index: number,
    repeat: number,
    record: TrialRecord,
  ) {
    const config = applyParameters(spec.base, spec.space, record.params) as RunConfigInput & {
      seed?: number;
    };
    config.seed = (config.seed ?? 0) + repeat;
    try {
      await this.runs.submit({
        config,
        name: `${sweep.name ?? sweep.id} #${index}${spec.repeats > 1 ? ` seed ${config.seed}` : ""}`,
        tags: ["sweep"],
        sweep: { sweepId: sweep.id, trialIndex: index, repeatIndex: repeat, trial: record },
        idempotencyKey: `${sweep.id}:${index}:${repeat}`,
      });
    } catch (error) {
      // A refused config (e.g. over the memory bound) is logged with its trial; this pass stops and the next retries.
      this.log.warn({ err: error, sweepId: sweep.id, trialIndex: index }, "trial refused");
      throw error;
    }
  }

  /** Ends a sweep and cancels what it still has queued or training. */
  async end(sweep: SweepRecord, status: "failed" | "canceled", reason: string): Promise<void> {
    const ended = await this.store.endSweep(sweep.id, { status, reason });
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
