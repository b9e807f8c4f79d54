// `pnpm --filter @sweeplab/server start`: reads config, then builds db, run service, app and listener.
import { ConfigError, loadConfig } from "./config.ts";
import { startService } from "./service.ts";

try {
  const config = loadConfig();
  const service = await startService(config);
  console.log(
    `sweeplab listening on ${service.url} (data in ${config.dataDir}, ${config.workers} worker(s))`,
  );
  const stop = async () => {
    await service.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
