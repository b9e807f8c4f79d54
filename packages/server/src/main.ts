// `pnpm --filter @sweeplab/server start`: reads config, then builds the service; SIGTERM / SIGINT stop it politely.
import { ConfigError, loadConfig } from "./config.ts";
import { OwnedError } from "./data-folder-owner.ts";
import { startService } from "./service.ts";
import { StorageFullError } from "./store/errors.ts";

try {
  const config = loadConfig();
  const service = await startService(config);
  console.log(
    `sweeplab listening on ${service.url} (store ${service.deps.store.location}, ${config.workers} worker(s))`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    await service.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
} catch (error) {
  if (error instanceof StorageFullError) console.error(`STORAGE_FULL: ${error.message}`);
  else console.error(error instanceof ConfigError || error instanceof OwnedError ? error.message : error);
  process.exit(1);
}
