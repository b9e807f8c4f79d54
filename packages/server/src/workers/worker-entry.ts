// A training process: one Worker over the store that DATABASE_URL names. `sweeplab serve` starts these as its
// local workers and `sweeplab worker` starts them on any host; both supervise them through WorkerProcesses.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { isCoreError, prepareBackend } from "@sweeplab/core";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { openStore } from "../store/open.ts";
import { createSweepEarlyStop } from "../sweeps/early-stop.ts";
import { signalRunEnds } from "../sweeps/run-end-signal.ts";
import { createDroppingDestination } from "./log-destination.ts";
import { installOrphanGuard } from "./orphan-guard.ts";
import { Worker } from "./worker.ts";

/** What a supervisor tells its training processes. */
export type SupervisorMessage = { type: "claim-now" } | { type: "store-ready" };

/** What a training process tells its supervisor. */
export type WorkerProcessMessage =
  | { type: "unavailable"; message: string }
  | { type: "run-ended"; runId: string }
  | { type: "await-store" };

const config = loadConfig();
// The supervisor reads this process's stderr: logs must never block on it, whether it stopped reading or died.
const logDestination = createDroppingDestination(2);
const log = createLogger("sweeplab-worker", config.logLevel, logDestination);

// Stop requests can come before the worker exists (the supervisor may die while the store opens): note them first.
let worker: Worker | undefined;
let stopRequested = false;
let signals = 0;
let stopWaiting = () => {};
const stop = () => {
  stopRequested = true;
  stopWaiting();
  worker?.stop();
};
process.on("SIGTERM", () => (++signals > 1 ? process.exit(130) : stop()));
process.on("SIGINT", () => (++signals > 1 ? process.exit(130) : stop()));
// The supervisor is gone (its IPC channel closed): stop politely rather than train unsupervised, logging no more
// (nobody reads it). Whatever the main thread is doing, a watchdog thread ends the process a polite stop's time
// after the supervisor's death: workers orphaned by a killed service were seen blocked for good in a synchronous
// log write, beyond the reach of any timer or handler of their own. An orphan ends without exit hooks.
let orphaned = false;
installOrphanGuard({
  graceMs: config.shutdownMs + 2000,
  onOrphaned: () => {
    orphaned = true;
    log.level = "silent";
    stop();
  },
});
/** Ends the process: an orphan at once (nobody reads its logs or exit code), else once its logs are out (1 s at most). */
async function exit(code: number): Promise<never> {
  if (orphaned) process.kill(process.pid, "SIGKILL");
  await logDestination.flushed(1000);
  return process.exit(code);
}

// TensorFlow loads while the service still opens its store and starts listening (a failure here is met again, and
// reported, by worker.run()).
await prepareBackend({ backend: config.backend }).catch(() => {});
if (process.env.SWEEPLAB_AWAIT_STORE === "1") {
  await storeReady();
  if (stopRequested || orphaned) await exit(0);
}

/**
 * Started before its service had opened (and migrated) the store and claimed its data folder: asks, and waits
 * until the service says the store is ready, or until it is told to stop.
 */
function storeReady(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("message", onMessage);
      resolve();
    };
    const onMessage = (message: SupervisorMessage) => {
      if (message?.type === "store-ready") done();
    };
    stopWaiting = done;
    process.on("message", onMessage);
    const ask: WorkerProcessMessage = { type: "await-store" };
    if (process.connected) process.send?.(ask, undefined, {}, () => {});
  });
}

const store = await openStore(config.databaseUrl);
worker = new Worker({
  // The supervisor hears of each run this worker ends, so its sweep scheduler need not wait for its poll.
  store: signalRunEnds(store, (runId) => {
    const message: WorkerProcessMessage = { type: "run-ended", runId };
    // A callback: a send on a closing channel reports its error there rather than as an 'error' event.
    if (process.connected) process.send?.(message, undefined, {}, () => {});
  }),
  id: `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`,
  host: hostname(),
  backend: config.backend,
  execution: config.execution,
  leaseMs: config.leaseMs,
  pollMs: config.pollMs,
  checkpointEverySteps: config.checkpointEverySteps,
  batchTrials: config.batchTrials,
  maxRunAttempts: config.maxRunAttempts,
  log,
  earlyStop: createSweepEarlyStop(store),
});

if (stopRequested || orphaned) worker.stop();
// The supervisor says when it queued a run, so an idle worker need not wait for its next poll.
process.on("message", (message: SupervisorMessage) => {
  if (message?.type === "claim-now") worker?.claimNow();
});

try {
  await worker.run();
  await store.close();
  await exit(0);
} catch (error) {
  await store.close().catch(() => {});
  if (!isCoreError(error) || error.code !== "BACKEND_UNAVAILABLE") {
    log.error({ err: error }, "worker failed");
    await exit(1);
  } else {
    // A supervisor reports it once for all its workers; a worker started on its own says it here.
    const message: WorkerProcessMessage = { type: "unavailable", message: error.message };
    const send = process.send?.bind(process);
    if (send) await new Promise<void>((resolve) => send(message, undefined, {}, () => resolve()));
    else log.error({ err: error }, `BACKEND_UNAVAILABLE: ${error.message}`);
    await exit(3);
  }
}
