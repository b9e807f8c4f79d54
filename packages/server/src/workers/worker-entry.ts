// A training process: one Worker over the store that DATABASE_URL names. `sweeplab serve` starts these as its
// local workers and `sweeplab worker` starts them on any host; both supervise them through WorkerProcesses.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { isCoreError } from "@sweeplab/core";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { openStore } from "../store/open.ts";
import { createSweepEarlyStop } from "../sweeps/early-stop.ts";
import { Worker } from "./worker.ts";

/** What a training process tells its supervisor. */
export type WorkerProcessMessage = { type: "unavailable"; message: string };

const config = loadConfig();
const log = createLogger("sweeplab-worker", config.logLevel);

// Stop requests can come before the worker exists (the supervisor may die while the store opens): note them first.
let worker: Worker | undefined;
let stopRequested = false;
let signals = 0;
const stop = () => {
  stopRequested = true;
  worker?.stop();
};
process.on("SIGTERM", () => (++signals > 1 ? process.exit(130) : stop()));
process.on("SIGINT", () => (++signals > 1 ? process.exit(130) : stop()));
// The supervisor is gone (its IPC channel closed): stop politely rather than train unsupervised. Nobody reads this
// process's stderr any more, and pino flushes it synchronously at exit, retrying while the pipe is full: a worker
// orphaned by a SIGKILLed service was seen stuck there for ever. So log no more, and if the polite stop has not
// ended the process well after the shutdown grace period, end it.
process.on("disconnect", () => {
  log.level = "silent";
  setTimeout(() => process.kill(process.pid, "SIGKILL"), config.shutdownMs + 10_000).unref();
  stop();
});

const store = await openStore(config.databaseUrl);
worker = new Worker({
  store,
  id: `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`,
  host: hostname(),
  backend: config.backend,
  leaseMs: config.leaseMs,
  pollMs: config.pollMs,
  checkpointEverySteps: config.checkpointEverySteps,
  batchTrials: config.batchTrials,
  maxRunAttempts: config.maxRunAttempts,
  log,
  earlyStop: createSweepEarlyStop(store),
});

if (stopRequested || (process.send !== undefined && !process.connected)) worker.stop();

try {
  await worker.run();
  await store.close();
  process.exit(0);
} catch (error) {
  await store.close().catch(() => {});
  if (!isCoreError(error) || error.code !== "BACKEND_UNAVAILABLE") {
    log.error({ err: error }, "worker failed");
    process.exit(1);
  }
  // A supervisor reports it once for all its workers; a worker started on its own says it here.
  const message: WorkerProcessMessage = { type: "unavailable", message: error.message };
  const send = process.send?.bind(process);
  if (send) await new Promise<void>((resolve) => send(message, undefined, {}, () => resolve()));
  else log.error({ err: error }, `BACKEND_UNAVAILABLE: ${error.message}`);
  process.exit(3);
}
