// One training worker: claims a run from the store, trains it with core's train(), and reports every event back
// through the store while renewing its lease. A sweep trial may bring compatible queued siblings along: the worker
// claims them too and trains them as one batched group (core's trainBatched), each trial still reported, canceled,
// pruned and released on its own. It reaches the rest of sweeplab only through the store, so the same code runs as
// a local child of `sweeplab serve` or as `sweeplab worker` on another host.
import { setTimeout as sleep } from "node:timers/promises";
import {
  type BackendInfo,
  type BackendName,
  batchGroupMismatch,
  type EvalEvent,
  prepareBackend,
  type RunConfig,
  type RunEvent,
  type TrainEvent,
  train,
  trainBatched,
} from "@sweeplab/core";
import type { Logger } from "../log.ts";
import { isStorageFull, isStoreUnavailable, rootMessage } from "../store/errors.ts";
import { OutageWatch, watchOutages } from "../store/outages.ts";
import { reapExpiredLeases } from "../store/reap-expired.ts";
import type { Claim, EventExtras, RunRecord, Store } from "../store/store.ts";
import { decodeCheckpoint, encodeCheckpoint, encodeWeights } from "./tensor-bundle.ts";

/** Why a worker stopped a run before its end. */
type StopReason =
  | { kind: "cancel" }
  | { kind: "prune"; rung: number; reason: string }
  | { kind: "shutdown" }
  | { kind: "lease-lost" }
  | { kind: "store-unreachable"; message: string };

export interface EarlyStopDecision {
  rung: number;
  reason: string;
}

export interface WorkerOptions {
  store: Store;
  id: string;
  host: string;
  backend: BackendName | "auto";
  /** How native backends run a step (core's TrainOptions.execution); default auto. */
  execution?: "auto" | "graph" | "eager";
  /** A claim lasts this long without a heartbeat; heartbeats come every third of it. */
  leaseMs: number;
  /** How often an idle worker looks for queued runs (and for expired leases to requeue). */
  pollMs: number;
  checkpointEverySteps: number;
  maxRunAttempts: number;
  /**
   * Sweep trials trained together at most: a claimed trial with no checkpoint takes up to this many minus one
   * queued siblings that can share its batched group (core's batchGroupMismatch). `auto` follows the backend
   * (AUTO_BATCH_TRIALS). Default 1: one run at a time.
   */
  batchTrials?: number | "auto";
  log: Logger;
  /**
   * What this process saw of the store's outages: expired leases are not judged within a lease of one. Default: a
   * watch of its own, fed by the worker's own writes.
   */
  outages?: OutageWatch;
  /** Asked after each evaluation of a run; a decision stops it as `pruned` (sweeps' early stopping). */
  earlyStop?: (run: RunRecord, event: EvalEvent) => Promise<EarlyStopDecision | undefined>;
}

/** One claimed run while it trains: its lease's owner writes through it, and its own signal stops it alone. */
interface Training {
  run: RunRecord;
  controller: AbortController;
  stop?: StopReason;
  log: Logger;
}

/** The wait between two tries of a store write while the store is unreachable. */
const OUTAGE_RETRY_MS = 1000;

/**
 * Store writes are retried with backoff (a full disk too: a checkpoint of the WAL may free room); a write that
 * keeps failing gives the run back to the queue, or fails it for a full disk (Worker.failForStorage). While the
 * store is unreachable (an outage: store/errors.ts) the write is retried for as long as `waitOutage()` says, so
 * the run waits for the store instead of being abandoned for it: an outage is not the run's fault.
 */
async function withRetries<T>(
  what: () => Promise<T>,
  log: Logger,
  waitOutage: () => boolean,
  attempts = 5,
): Promise<T> {
  let failures = 0;
  let outageLogged = false;
  for (;;) {
    try {
      return await what();
    } catch (error) {
      if ((error as { name?: string }).name === "StoreConflictError") throw error;
      if (isStoreUnavailable(error)) {
        if (!waitOutage()) throw error;
        // One line per outage, not one per try.
        if (!outageLogged) log.warn({ err: error }, "store unreachable; waiting for it");
        outageLogged = true;
        await sleep(OUTAGE_RETRY_MS);
        continue;
      }
      if (++failures >= attempts) throw error;
      log.warn({ err: error, attempt: failures }, "store write failed; retrying");
      await sleep(100 * 2 ** failures);
    }
  }
}

/**
 * Trials per group under `auto`. On a GPU one MNIST trial leaves the device idle: 16 trials trained batched on an
 * H200 (webgpu) ran at 3,060 trials/h against PyTorch CUDA's 316 one after the other (BENCHMARKS.md); 8 keeps a
 * group's memory within 8 admitted runs. On the CPU backends 6-trial seed-mlp sweeps showed no clear gain on a
 * loaded 2-core host (from 10 % faster to slower, as the load from other processes changed), while a group gives
 * up the checkpoint on abort (trials resume from their last periodic one): one run at a time.
 */
export const AUTO_BATCH_TRIALS = { gpu: 8, cpu: 1 } as const;

function resolveBatchTrials(option: WorkerOptions["batchTrials"], backend: BackendInfo): number {
  if (option !== "auto") return option ?? 1;
  const gpu = backend.name === "webgpu" || backend.name === "tensorflow-gpu";
  return gpu ? AUTO_BATCH_TRIALS.gpu : AUTO_BATCH_TRIALS.cpu;
}

const isTerminal = (event: TrainEvent) => event.type === "finished" || event.type === "failed";

export class Worker {
  private stopping = false;
  /** The runs in training now (one, or a batched group), until each one's terminal event is reported. */
  private readonly trainings = new Set<Training>();
  private wake: (() => void) | undefined;
  private batchTrials = 1;
  private readonly outages: OutageWatch;
  private readonly options: WorkerOptions;
  backend: BackendInfo | undefined;

  constructor(options: WorkerOptions) {
    // Grace: a lease, plus the longest gap between two store calls here (an idle poll, a retry in an outage).
    this.outages =
      options.outages ?? new OutageWatch(options.leaseMs + Math.max(options.pollMs, OUTAGE_RETRY_MS));
    // Every failed store call shows its outage to the watch (the lease reaper waits a lease after one).
    this.options = { ...options, store: watchOutages(options.store, this.outages) };
  }

  /** A store write, retried: through an outage for as long as the worker is not stopping. */
  private retried<T>(what: () => Promise<T>, log: Logger): Promise<T> {
    return withRetries(what, log, () => !this.stopping);
  }

  /** Prepares the backend, registers, then claims and trains runs until stop() is called. */
  async run(): Promise<void> {
    const { store, id, host, log } = this.options;
    this.backend = await prepareBackend({ backend: this.options.backend });
    this.batchTrials = resolveBatchTrials(this.options.batchTrials, this.backend);
    const register = (runId: string | null) =>
      store.upsertWorker({ id, host, pid: process.pid, backend: this.backend, runId, startedAt: Date.now() });
    await register(null);
    log.info({ workerId: id, backend: this.backend.name, batchTrials: this.batchTrials }, "worker ready");
    try {
      while (!this.stopping) {
        let claim: Claim | undefined;
        try {
          await reapExpiredLeases(store, this.options.maxRunAttempts, log, this.outages);
          claim = await store.claimRun({ id, host }, this.options.leaseMs);
          if (!claim) await register(null);
        } catch (error) {
          log.error({ err: error }, "store unreachable; retrying");
        }
        if (claim) await this.trainClaim(claim);
        else await this.idle(this.options.pollMs);
      }
    } finally {
      await store.removeWorker(id).catch(() => {});
      log.info({ workerId: id }, "worker stopped");
    }
  }

  /** A run was queued: an idle worker claims now rather than at the end of its poll interval. */
  claimNow(): void {
    if (this.trainings.size === 0) this.wake?.();
  }

  /** Stops claiming; runs in training go back to the queue without spending an attempt. */
  stop(): void {
    this.stopping = true;
    for (const training of this.trainings) this.abort(training, { kind: "shutdown" });
    this.wake?.();
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private abort(training: Training, reason: StopReason): void {
    if (training.stop) return;
    training.stop = reason;
    training.controller.abort();
  }

  private begin(run: RunRecord, log: Logger): Training {
    const training: Training = { run, controller: new AbortController(), log };
    this.trainings.add(training);
    log.info({ attempt: run.attempts }, "run claimed");
    if (this.stopping) this.abort(training, { kind: "shutdown" });
    return training;
  }

  /** Writes one event of a run while its lease is held; learns from the answer whether to stop it. */
  private async write(training: Training, event: RunEvent, extras?: EventExtras): Promise<boolean> {
    const { store, id, leaseMs } = this.options;
    try {
      const state = await this.retried(
        () => store.appendEvent(training.run.id, event, { owner: id, leaseMs, extras }),
        training.log,
      );
      if (!state.owned) this.abort(training, { kind: "lease-lost" });
      else if (state.cancelRequested) this.abort(training, { kind: "cancel" });
      return state.owned;
    } catch (error) {
      if (isStorageFull(error) && event.type !== "failed") await this.failForStorage(training, event, error);
      this.abort(training, { kind: "store-unreachable", message: String(error) });
      return false;
    }
  }

  /**
   * A write the store still refused for a full disk after its retries ends the run once, as failed with
   * STORAGE_FULL and the disk's own words (a small event may still fit where weights did not). Crashing into a
   * requeue would only spend the run's attempts on the same disk. If even that cannot be written, the lease runs
   * out as before.
   */
  private async failForStorage(
    training: Training,
    event: TrainEvent | RunEvent,
    error: unknown,
  ): Promise<void> {
    const what =
      event.type === "finished"
        ? "the trained weights"
        : event.type === "checkpoint"
          ? "a checkpoint"
          : `its "${event.type}" event`;
    const step = "step" in event && typeof event.step === "number" ? event.step : training.run.step;
    training.log.error({ err: error }, "the store's disk is full; the run fails");
    await this.write(training, {
      type: "failed",
      step,
      code: "STORAGE_FULL",
      message: `cannot store ${what}: the disk holding the store (${this.options.store.location}) is full (${rootMessage(error)})`,
    });
  }

  /** One timer renewing the lease of every run still training; a lost lease or a cancel stops that run alone. */
  private heartbeat(): () => void {
    const { store, id, leaseMs } = this.options;
    const timer = setInterval(
      () => {
        for (const training of this.trainings) {
          store.renewLease(training.run.id, id, leaseMs).then(
            (state) => {
              if (!state.owned) this.abort(training, { kind: "lease-lost" });
              else if (state.cancelRequested) this.abort(training, { kind: "cancel" });
            },
            (error) => training.log.warn({ err: error }, "lease renewal failed"),
          );
        }
      },
      Math.max(50, leaseMs / 3),
    );
    return () => clearInterval(timer);
  }

  private async trainClaim(claim: Claim): Promise<void> {
    const runs = claim.checkpoint ? [claim.run] : await this.claimSiblings(claim.run);
    const trainings = runs.map((run) =>
      this.begin(run, this.options.log.child({ runId: run.id, workerId: this.options.id })),
    );
    if (claim.checkpoint) trainings[0]!.log.info({ resumeFromStep: claim.checkpoint.step }, "resuming");
    const stopHeartbeat = this.heartbeat();
    try {
      if (trainings.length > 1) await this.trainGroup(trainings);
      else await this.trainAlone(trainings[0]!, claim.checkpoint);
    } finally {
      stopHeartbeat();
      for (const training of trainings) {
        this.trainings.delete(training);
        training.log.info({ stop: training.stop?.kind ?? "ended" }, "run left");
      }
    }
  }

  /**
   * The claimed sweep trial, and up to batchTrials - 1 queued trials of its sweep that can train in one batched
   * group with it, each claimed by id (another worker may take one first: it is skipped).
   */
  private async claimSiblings(leader: RunRecord): Promise<RunRecord[]> {
    const { store, id, host, leaseMs } = this.options;
    const { batchTrials } = this;
    const config = leader.config as RunConfig;
    if (batchTrials <= 1 || !leader.sweepId || batchGroupMismatch(config, config)) return [leader];
    const group = [leader];
    try {
      const candidates = (await store.sweepRuns(leader.sweepId)).filter(
        (r) => r.status === "queued" && !batchGroupMismatch(config, r.config as RunConfig),
      );
      for (const candidate of candidates) {
        if (group.length >= batchTrials || this.stopping) break;
        const claimed = await store.claimQueuedRun({ id, host }, candidate.id, leaseMs);
        if (claimed) group.push(claimed);
      }
    } catch (error) {
      // The leader is claimed whatever happens here; siblings not claimed stay queued for any worker.
      this.options.log.warn({ err: error, runId: leader.id }, "could not claim sibling trials");
    }
    return group;
  }

  private async trainAlone(training: Training, checkpoint: Claim["checkpoint"]): Promise<void> {
    let resumeFrom: ReturnType<typeof decodeCheckpoint> | undefined;
    try {
      resumeFrom = checkpoint ? decodeCheckpoint(checkpoint.bytes) : undefined;
    } catch (error) {
      await this.write(training, {
        type: "failed",
        step: training.run.step,
        code: "INTERNAL",
        message: `cannot resume: ${(error as Error).message}`,
      });
      return;
    }
    const events = train(training.run.config as RunConfig, {
      signal: training.controller.signal,
      backend: this.options.backend,
      execution: this.options.execution,
      resumeFrom,
      checkpointEverySteps: this.options.checkpointEverySteps,
      checkpointOnAbort: true,
    });
    for await (const event of events) {
      if (training.stop?.kind === "lease-lost") break;
      await this.report(training, event);
      if (isTerminal(event)) this.trainings.delete(training);
    }
  }

  /**
   * Trains the runs as one batched group. trainBatched has no checkpoint on abort: a trial released at shutdown
   * resumes from its last periodic checkpoint (alone, with train()), or from the start when it has none.
   */
  private async trainGroup(trainings: Training[]): Promise<void> {
    const byId = new Map(trainings.map((t) => [t.run.id, t]));
    const events = trainBatched(
      trainings.map((t) => t.run.config as RunConfig),
      {
        backend: this.options.backend,
        trialIds: trainings.map((t) => t.run.id),
        signals: trainings.map((t) => t.controller.signal),
        checkpointEverySteps: this.options.checkpointEverySteps,
        execution: this.options.execution,
      },
    );
    for await (const { trialId, event } of events) {
      const training = byId.get(trialId)!;
      // A trial whose lease is lost writes nothing more; its aborted signal drops it from the group at the next step.
      if (training.stop?.kind !== "lease-lost") await this.report(training, event);
      if (isTerminal(event)) this.trainings.delete(training);
    }
  }

  /** Turns one training event into store writes: artifacts first, then the event that points at them. */
  private async report(training: Training, event: TrainEvent): Promise<void> {
    const { store } = this.options;
    const { run, log } = training;
    switch (event.type) {
      case "checkpoint":
        await this.retried(
          () => store.putArtifact(run.id, "checkpoint", event.step, encodeCheckpoint(event.checkpoint)),
          log,
        ).then(
          () => this.write(training, { type: "checkpoint", step: event.step }),
          (error) => log.warn({ err: error }, "checkpoint not stored"),
        );
        return;
      case "finished": {
        const { weights, evaluation, ...summary } = event;
        try {
          await this.retried(
            () => store.putArtifact(run.id, "weights", event.step, encodeWeights(event.step, weights)),
            log,
          );
        } catch (error) {
          // Never a crash: a full disk fails the run once; an outage (the worker is stopping) leaves it to the
          // lease; anything else, after its retries, fails the run with the cause.
          if (isStorageFull(error)) await this.failForStorage(training, event, error);
          else if (!isStoreUnavailable(error)) {
            await this.write(training, {
              type: "failed",
              step: event.step,
              code: "INTERNAL",
              message: `cannot store the trained weights: ${rootMessage(error)}`,
            });
          }
          return;
        }
        await this.write(training, summary, { evaluation });
        return;
      }
      case "eval": {
        const owned = await this.write(training, event);
        if (owned && this.options.earlyStop && !training.stop) {
          const decision = await this.options.earlyStop(run, event).catch(() => undefined);
          if (decision) this.abort(training, { kind: "prune", ...decision });
        }
        return;
      }
      case "failed":
        await this.end(training, event);
        return;
      default:
        await this.write(training, event);
    }
  }

  private async end(training: Training, event: Extract<TrainEvent, { type: "failed" }>): Promise<void> {
    const { step } = event;
    const { stop } = training;
    if (event.code === "NON_FINITE_LOSS" || event.code === "DIVERGED") {
      await this.write(training, { type: "diverged", step, code: event.code, message: event.message });
      return;
    }
    if (event.code !== "ABORTED" || !stop) {
      await this.write(training, event);
      return;
    }
    switch (stop.kind) {
      case "cancel":
        await this.write(training, { type: "canceled", step, reason: "canceled by request" });
        return;
      case "prune":
        await this.write(training, { type: "pruned", step, rung: stop.rung, reason: stop.reason });
        return;
      case "shutdown":
        await this.options.store
          .releaseRun(training.run.id, this.options.id, "its worker stopped")
          .catch(() => {});
        return;
      default:
        // Lease lost or store unreachable: the lease expires and whichever process notices requeues the run.
        return;
    }
  }
}
