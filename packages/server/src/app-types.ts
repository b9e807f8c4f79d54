import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ServerConfig } from "./config.ts";
import type { Logger } from "./log.ts";
import type { PredictorCache } from "./runs/predictors.ts";
import type { RunService } from "./runs/run-service.ts";
import type { OutageWatch } from "./store/outages.ts";
import type { Store } from "./store/store.ts";
import type { SweepScheduler } from "./sweeps/scheduler.ts";

/** Everything the routes need, built by service.ts (or a test) and passed to createApp. */
export interface AppDeps {
  config: Readonly<ServerConfig>;
  store: Store;
  /** What this process saw of the store's outages (the reaper waits a lease after one). */
  outages: OutageWatch;
  runs: RunService;
  sweeps: SweepScheduler;
  predictors: PredictorCache;
  log: Logger;
  startedAt: number;
  /** Aborted when the service stops: event streams end. */
  shutdown: AbortSignal;
  /** Why this service's own workers cannot train (every one gave up on its backend); undefined while any can. */
  workerProblem: () => string | undefined;
}

export type AppEnv = { Variables: { requestId: string } };
export type App = OpenAPIHono<AppEnv>;
