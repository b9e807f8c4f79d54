export { createApp } from "./app.ts";
export type { App, AppDeps } from "./app-types.ts";
export type { ServerConfig } from "./config.ts";
export { ConfigError, loadConfig } from "./config.ts";
export { openDatabase } from "./db/client.ts";
export { RunEventSchema } from "./routes/runs/event-schemas.ts";
export type { RunningService } from "./service.ts";
export { startService } from "./service.ts";
export { createTestApp } from "./test-app.ts";
