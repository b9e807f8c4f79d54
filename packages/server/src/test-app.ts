import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "./app.ts";
import type { AppDeps } from "./app-types.ts";
import { loadConfig } from "./config.ts";
import { createLogger } from "./log.ts";
import { PredictorCache } from "./runs/predictors.ts";
import { RunService } from "./runs/run-service.ts";
import { openStore } from "./store/open.ts";
import { OutageWatch } from "./store/outages.ts";
import { SweepScheduler } from "./sweeps/scheduler.ts";

/**
 * An app over a fresh store (a temporary SQLite file, or the database `env.DATABASE_URL` names), without
 * workers: for route tests.
 */
export async function createTestApp(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-test-"));
  const config = loadConfig({ SWEEPLAB_DATA_DIR: dataDir, SWEEPLAB_LOG_LEVEL: "silent", ...env });
  const store = await openStore(config.databaseUrl);
  const runs = new RunService(store, config);
  const log = createLogger("sweeplab-test", config.logLevel);
  const sweeps = new SweepScheduler(store, runs, log, 1000);
  runs.onRunEnded = (runId, sweepId) => void sweeps.runEnded(runId, sweepId);
  const deps: AppDeps = {
    config,
    store,
    outages: new OutageWatch(config.leaseMs),
    runs,
    sweeps,
    predictors: new PredictorCache(config),
    log,
    startedAt: Date.now(),
    shutdown: new AbortController().signal,
    workerProblem: () => undefined,
  };
  return { app: createApp(deps), deps, dataDir, close: () => store.close() };
}
