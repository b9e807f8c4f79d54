import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ServerConfig } from "./config.ts";
import type { Database } from "./db/client.ts";
import type { PredictorCache } from "./runs/predictors.ts";
import type { RunService } from "./runs/run-service.ts";

/** Everything the routes need, built by main.ts (or a test) and passed to createApp. */
export interface AppDeps {
  config: Readonly<ServerConfig>;
  db: Database;
  runs: RunService;
  predictors: PredictorCache;
  startedAt: number;
}

export type AppEnv = { Variables: { requestId: string } };
export type App = OpenAPIHono<AppEnv>;
