import { type ServerType, serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { AppDeps } from "./app-types.ts";
import type { ServerConfig } from "./config.ts";
import { claimOwnership, findOwner, OwnedError } from "./data-folder-owner.ts";
import { createLogger } from "./log.ts";
import { PredictorCache } from "./runs/predictors.ts";
import { RunService } from "./runs/run-service.ts";
import { isPostgresUrl, openStore } from "./store/open.ts";
import { sqlitePath } from "./store/sqlite.ts";
import { SweepScheduler } from "./sweeps/scheduler.ts";
import { WorkerProcesses } from "./workers/worker-processes.ts";

export interface RunningService {
  deps: AppDeps;
  url: string;
  /** Stops claiming, ends event streams, lets workers checkpoint and hand their runs back, then closes. */
  close(): Promise<void>;
}

/** How often the API requeues runs whose worker stopped answering (workers do it too while idle). */
const REAPER_MS = 2000;

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
  const store = await openStore(config.databaseUrl);
  const shutdown = new AbortController();
  const workers = new WorkerProcesses(
    config.workers,
    {
      SWEEPLAB_BACKEND: config.backend,
      DATABASE_URL: config.databaseUrl,
      SWEEPLAB_LOG_LEVEL: config.logLevel,
    },
    log,
  );
  const runs = new RunService(store, config);
  const sweeps = new SweepScheduler(store, runs, log, Math.max(500, config.pollMs * 4));
  // A trial that ends here (a local worker finished it, a route canceled or deleted it) advances its sweep at once.
  runs.onRunEnded = (runId, sweepId) => void sweeps.runEnded(runId, sweepId);
  workers.onRunEnded = (runId) => void sweeps.runEnded(runId);
  const deps: AppDeps = {
    config,
    store,
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
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
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
    await store.close();
    throw error;
  }
  workers.start();
  sweeps.start();
  const reaper = setInterval(() => {
    store.requeueExpired(config.maxRunAttempts).then(
      (ids) => ids.length && log.warn({ runIds: ids }, "requeued runs whose worker stopped answering"),
      (error) => log.error({ err: error }, "requeue of expired leases failed"),
    );
  }, REAPER_MS);
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

/** Training processes for the queue in `config.databaseUrl`, without an API: `sweeplab worker` on any host. */
export async function startWorkers(
  config: Readonly<ServerConfig>,
): Promise<{ location: string; problem(): string | undefined; close(): Promise<void> }> {
  const log = createLogger("sweeplab-worker", config.logLevel);
  // Opening the store once here applies its migrations and fails fast on a bad URL, before any child starts.
  const store = await openStore(config.databaseUrl);
  const location = store.location;
  await store.close();
  const workers = new WorkerProcesses(
    Math.max(1, config.workers),
    {
      SWEEPLAB_BACKEND: config.backend,
      DATABASE_URL: config.databaseUrl,
      SWEEPLAB_LOG_LEVEL: config.logLevel,
    },
    log,
  );
  workers.start();
  return { location, problem: () => workers.problem, close: () => workers.close(config.shutdownMs) };
}
