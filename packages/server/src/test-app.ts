import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "./app.ts";
import type { AppDeps } from "./app-types.ts";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { PredictorCache } from "./runs/predictors.ts";
import { RunService } from "./runs/run-service.ts";

/** An app over a fresh temporary SQLite file, with its run service not started (no workers): for route tests. */
export function createTestApp(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-test-"));
  const config = loadConfig({ SWEEPLAB_DATA_DIR: dataDir, ...env });
  const db = openDatabase(config.databaseUrl);
  const runs = new RunService(db, config);
  const deps: AppDeps = { config, db, runs, predictors: new PredictorCache(config), startedAt: Date.now() };
  return { app: createApp(deps), deps, dataDir };
}
