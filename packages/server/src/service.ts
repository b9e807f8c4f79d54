import { dirname } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { AppDeps } from "./app-types.ts";
import type { ServerConfig } from "./config.ts";
import { claimOwnership, findOwner, OwnedError } from "./data-folder-owner.ts";
import { createLogger } from "./log.ts";
import { PredictorCache } from "./runs/predictors.ts";
import { RunService } from "./runs/run-service.ts";
import { explainFullDisk } from "./store/errors.ts";
import { isPostgresUrl, openStore } from "./store/open.ts";
import { OutageWatch, watchOutages } from "./store/outages.ts";
import { redactUrl } from "./store/postgres.ts";
import { reapExpiredLeases } from "./store/reap-expired.ts";
import { sqlitePath } from "./store/sqlite.ts";
import { SweepScheduler } from "./sweeps/scheduler.ts";
import { WorkerProcesses } from "./workers/worker-processes.ts";

export interface RunningService {
  deps: AppDeps;
  url: string;
  /** Stops claiming, ends event streams, lets workers checkpoint and hand their runs back, then closes. */
  close(): Promise<void>;
}

/** What a worker process learns from its service: the backend and how it runs a step, the queue's database, the log level. */
const workerEnvironment = (config: Readonly<ServerConfig>) => ({
  SWEEPLAB_BACKEND: config.backend,
  SWEEPLAB_EXECUTION: config.execution,
  DATABASE_URL: config.databaseUrl,
  SWEEPLAB_LOG_LEVEL: config.logLevel,
});

/**
 * How often, at most, the API requeues runs whose worker stopped answering (workers do it too while idle); at
 * least three times a lease, so that an outage long enough to expire a lease is seen by the reaper.
 */
const REAPER_MS = 2000;

/**
 * A client gets 10 s to send its request headers and 30 s for the whole request (bodies are at most a few MB;
 * responses, event streams included, are not limited). Node checks every second: 2,000 connections that sent
 * half a header line were otherwise held for a minute or more each.
 */
const HTTP_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000 };

/**
 * Builds store, run service, local workers, app and listener, in that order. The CLI's embedded mode uses it too.
 * A SQLite store has one owner: starting on a file another live service serves throws OwnedError.
 */
export async function startService(config: Readonly<ServerConfig>): Promise<RunningService> {
  const log = createLogger("sweeplab", config.logLevel);
  const sqlite = isPostgresUrl(config.databaseUrl) ? undefined : sqlitePath(config.databaseUrl);
  if (sqlite) {
    const owner = findOwner(sqlite);
    if (owner) throw new OwnedError(sqlite, owner);
  }
  // The workers load their code and TensorFlow while this process opens the store and starts listening; they
  // open the store once it is ready and owned (storeReady below), or are stopped if the service cannot start.
  const workers = new WorkerProcesses(config.workers, workerEnvironment(config), log);
  workers.start({ storeReady: false });
  const stopWorkers = () => workers.close(0);
  // Every store call the API makes shows its outages to the watch, so the reaper never charges one to a run.
  const reaperMs = Math.min(REAPER_MS, Math.ceil(config.leaseMs / 3));
  const outages = new OutageWatch(config.leaseMs + reaperMs);
  const store = watchOutages(
    await openStoreExplained(config.databaseUrl).catch(async (error) => {
      await stopWorkers();
      throw error;
    }),
    outages,
  );
  const shutdown = new AbortController();
  const runs = new RunService(store, config);
  const sweeps = new SweepScheduler(store, runs, log, Math.max(500, config.pollMs * 4));
  // A trial that ends here (a local worker finished it, a route canceled or deleted it) advances its sweep at once.
  runs.onRunEnded = (runId, sweepId) => void sweeps.runEnded(runId, sweepId);
  workers.onRunEnded = (runId) => void sweeps.runEnded(runId);
  runs.onRunQueued = () => workers.claimNow();
  const deps: AppDeps = {
    config,
    store,
    outages,
    runs,
    sweeps,
    predictors: new PredictorCache(config),
    log,
    startedAt: Date.now(),
    shutdown: shutdown.signal,
    workerProblem: () => workers.problem,
  };
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: HTTP_TIMEOUTS },
      () => resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  let releaseOwnership = () => {};
  try {
    if (sqlite) releaseOwnership = claimOwnership(sqlite, url);
  } catch (error) {
    server.close();
    await stopWorkers();
    await store.close();
    const folder = dirname(sqlite ?? config.dataDir);
    throw explainFullDisk(error, folder, folder);
  }
  workers.storeReady();
  sweeps.start();
  const reaper = setInterval(() => {
    reapExpiredLeases(store, config.maxRunAttempts, log, outages).catch((error) =>
      log.error({ err: error }, "requeue of expired leases failed"),
    );
  }, reaperMs);
  log.info(
    { url, store: store.dialect, location: store.location, workers: config.workers },
    "service started",
  );
  return {
    deps,
    url,
    async close() {
      clearInterval(reaper);
      await sweeps.stop();
      // Stop accepting, end the event streams (their responses finish cleanly), let the workers checkpoint and
      // hand their runs back, then drop whatever connection is left.
      const http = server as import("node:http").Server;
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      shutdown.abort();
      await workers.close(config.shutdownMs);
      http.closeIdleConnections?.();
      const forced = setTimeout(() => http.closeAllConnections?.(), 1000);
      await closed;
      clearTimeout(forced);
      releaseOwnership();
      await store.close();
      log.info("service stopped");
    },
  };
}

/** Opens the store; a full disk under it is a one-line StorageFullError naming the file or database. */
async function openStoreExplained(url: string) {
  try {
    return await openStore(url);
  } catch (error) {
    if (isPostgresUrl(url)) throw explainFullDisk(error, `the PostgreSQL database ${redactUrl(url)}`);
    throw explainFullDisk(error, sqlitePath(url), dirname(sqlitePath(url)));
  }
}

/** Training processes for the queue in `config.databaseUrl`, without an API: `sweeplab worker` on any host. */
export async function startWorkers(
  config: Readonly<ServerConfig>,
): Promise<{ location: string; problem(): string | undefined; close(): Promise<void> }> {
  const log = createLogger("sweeplab-worker", config.logLevel);
  // Opening the store once here applies its migrations and fails fast on a bad URL, before any child starts.
  const store = await openStoreExplained(config.databaseUrl);
  const location = store.location;
  await store.close();
  const workers = new WorkerProcesses(Math.max(1, config.workers), workerEnvironment(config), log);
  workers.start();
  return { location, problem: () => workers.problem, close: () => workers.close(config.shutdownMs) };
}
