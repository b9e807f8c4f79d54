// One training worker: claims a run from the store, trains it with core's train(), and reports every event back
// through the store while renewing its lease. It reaches the rest of sweeplab only through the store, so the same
// code runs as a local child of `sweeplab serve` or as `sweeplab worker` on another host.
import { setTimeout as sleep } from "node:timers/promises";
import {
  type BackendInfo,
  type BackendName,
  type EvalEvent,
  prepareBackend,
  type RunConfig,
  type RunEvent,
  type TrainEvent,
  train,
} from "@sweeplab/core";
import type { Logger } from "../log.ts";
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
  /** A claim lasts this long without a heartbeat; heartbeats come every third of it. */
  leaseMs: number;
  /** How often an idle worker looks for queued runs (and for expired leases to requeue). */
  pollMs: number;
  checkpointEverySteps: number;
  maxRunAttempts: number;
  log: Logger;
  /** Asked after each evaluation of a run; a decision stops it as `pruned` (sweeps' early stopping). */
  earlyStop?: (run: RunRecord, event: EvalEvent) => Promise<EarlyStopDecision | undefined>;
}

/** Store writes are retried with backoff; a write that keeps failing gives the run back to the queue. */
async function withRetries<T>(what: () => Promise<T>, log: Logger, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await what();
    } catch (error) {
      if (attempt >= attempts || (error as { name?: string }).name === "StoreConflictError") throw error;
      log.warn({ err: error, attempt }, "store write failed; retrying");
      await sleep(100 * 2 ** attempt);
    }
  }
}

export class Worker {
  private stopping = false;
  private current: { controller: AbortController; stop?: StopReason } | undefined;
  private wake: (() => void) | undefined;
  backend: BackendInfo | undefined;

  constructor(private readonly options: WorkerOptions) {}

  /** Prepares the backend, registers, then claims and trains runs until stop() is called. */
  async run(): Promise<void> {
    const { store, id, host, log } = this.options;
    this.backend = await prepareBackend({ backend: this.options.backend });
    const register = (runId: string | null) =>
      store.upsertWorker({ id, host, pid: process.pid, backend: this.backend, runId, startedAt: Date.now() });
    await register(null);
    log.info({ workerId: id, backend: this.backend.name }, "worker ready");
    try {
      while (!this.stopping) {
        let claim: Claim | undefined;
        try {
          await store.requeueExpired(this.options.maxRunAttempts);
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

  /** Stops claiming; a run in training checkpoints and goes back to the queue without spending an attempt. */
  stop(): void {
    this.stopping = true;
    this.abort({ kind: "shutdown" });
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

  private abort(reason: StopReason): void {
    if (!this.current || this.current.stop) return;
    this.current.stop = reason;
    this.current.controller.abort();
  }

  private async trainClaim({ run, checkpoint }: Claim): Promise<void> {
    const { store, id, log, leaseMs } = this.options;
    const runLog = log.child({ runId: run.id, workerId: id });
    runLog.info({ attempt: run.attempts, resumeFromStep: checkpoint?.step ?? null }, "run claimed");
    const controller = new AbortController();
    this.current = { controller };
    const current = this.current;
    if (this.stopping) this.abort({ kind: "shutdown" });

    const write = async (event: RunEvent, extras?: EventExtras) => {
      try {
        const state = await withRetries(
          () => store.appendEvent(run.id, event, { owner: id, leaseMs, extras }),
          runLog,
        );
        if (!state.owned) this.abort({ kind: "lease-lost" });
        else if (state.cancelRequested) this.abort({ kind: "cancel" });
        return state.owned;
      } catch (error) {
        this.abort({ kind: "store-unreachable", message: String(error) });
        return false;
      }
    };
    const heartbeat = setInterval(
      () => {
        store.renewLease(run.id, id, leaseMs).then(
          (state) => {
            if (!state.owned) this.abort({ kind: "lease-lost" });
            else if (state.cancelRequested) this.abort({ kind: "cancel" });
          },
          (error) => runLog.warn({ err: error }, "lease renewal failed"),
        );
      },
      Math.max(50, leaseMs / 3),
    );

    try {
      let resumeFrom: ReturnType<typeof decodeCheckpoint> | undefined;
      try {
        resumeFrom = checkpoint ? decodeCheckpoint(checkpoint.bytes) : undefined;
      } catch (error) {
        await write({
          type: "failed",
          step: run.step,
          code: "INTERNAL",
          message: `cannot resume: ${(error as Error).message}`,
        });
        return;
      }
      const events = train(run.config as RunConfig, {
        signal: controller.signal,
        backend: this.options.backend,
        resumeFrom,
        checkpointEverySteps: this.options.checkpointEverySteps,
        checkpointOnAbort: true,
      });
      for await (const event of events) {
        if (current.stop?.kind === "lease-lost") break;
        await this.report(run, event, current, write);
      }
    } finally {
      clearInterval(heartbeat);
      this.current = undefined;
      runLog.info({ stop: current.stop?.kind ?? "ended" }, "run left");
    }
  }

  /** Turns one training event into store writes: artifacts first, then the event that points at them. */
  private async report(
    run: RunRecord,
    event: TrainEvent,
    current: { stop?: StopReason },
    write: (event: RunEvent, extras?: EventExtras) => Promise<boolean>,
  ): Promise<void> {
    const { store, log } = this.options;
    switch (event.type) {
      case "checkpoint":
        await withRetries(
          () => store.putArtifact(run.id, "checkpoint", event.step, encodeCheckpoint(event.checkpoint)),
          log,
        ).then(
          () => write({ type: "checkpoint", step: event.step }),
          (error) => log.warn({ err: error, runId: run.id }, "checkpoint not stored"),
        );
        return;
      case "finished": {
        const { weights, evaluation, ...summary } = event;
        await withRetries(
          () => store.putArtifact(run.id, "weights", event.step, encodeWeights(event.step, weights)),
          log,
        );
        await write(summary, { evaluation });
        return;
      }
      case "eval": {
        const owned = await write(event);
        if (owned && this.options.earlyStop && !current.stop) {
          const decision = await this.options.earlyStop(run, event).catch(() => undefined);
          if (decision) this.abort({ kind: "prune", ...decision });
        }
        return;
      }
      case "failed":
        await this.end(run, event, current.stop, write);
        return;
      default:
        await write(event);
    }
  }

  private async end(
    run: RunRecord,
    event: Extract<TrainEvent, { type: "failed" }>,
    stop: StopReason | undefined,
    write: (event: RunEvent) => Promise<boolean>,
  ): Promise<void> {
    const { step } = event;
    if (event.code === "NON_FINITE_LOSS" || event.code === "DIVERGED") {
      await write({ type: "diverged", step, code: event.code, message: event.message });
      return;
    }
    if (event.code !== "ABORTED" || !stop) {
      await write(event);
      return;
    }
    switch (stop.kind) {
      case "cancel":
        await write({ type: "canceled", step, reason: "canceled by request" });
        return;
      case "prune":
        await write({ type: "pruned", step, rung: stop.rung, reason: stop.reason });
        return;
      case "shutdown":
        await this.options.store.releaseRun(run.id, this.options.id, "its worker stopped").catch(() => {});
        return;
      default:
        // Lease lost or store unreachable: the lease expires and whichever process notices requeues the run.
        return;
    }
  }
}
