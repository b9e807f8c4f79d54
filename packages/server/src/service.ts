import { type ServerType, serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { AppDeps } from "./app-types.ts";
import type { ServerConfig } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { PredictorCache } from "./runs/predictors.ts";
import { RunService } from "./runs/run-service.ts";

export interface RunningService {
  deps: AppDeps;
  url: string;
  close(): Promise<void>;
}

/** Builds db, run service (and its workers), app and listener, in that order. The CLI's embedded mode uses it too. */
export async function startService(config: Readonly<ServerConfig>): Promise<RunningService> {
  const db = openDatabase(config.databaseUrl);
  const runs = new RunService(db, config);
  runs.start();
  const deps: AppDeps = { config, db, runs, predictors: new PredictorCache(config), startedAt: Date.now() };
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return {
    deps,
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runs.close();
      db.close();
    },
  };
}
