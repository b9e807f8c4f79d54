import { loadServer } from "../load-server.ts";

/** Runs the service in the foreground until Ctrl-C; settings come from flags over the environment. */
export async function serve(options: {
  port?: string;
  listen?: string;
  workers?: string;
  dataDir?: string;
  token?: string;
  insecureNoAuth?: boolean;
}) {
  const { loadConfig, startService } = await loadServer();
  const env = { ...process.env };
  if (options.port) env.PORT = options.port;
  if (options.listen) env.HOST = options.listen;
  if (options.workers) env.WORKERS = options.workers;
  if (options.dataDir) env.SWEEPLAB_DATA_DIR = options.dataDir;
  if (options.token) env.SWEEPLAB_TOKEN = options.token;
  if (options.insecureNoAuth) env.SWEEPLAB_INSECURE_NO_AUTH = "1";
  const config = loadConfig(env);
  const service = await startService(config);
  console.log(
    `sweeplab listening on ${service.url} (store ${service.deps.store.location}, ${config.workers} worker(s)${config.tokens.length ? ", token required" : ", NO AUTH"})`,
  );
  console.log(`dashboard: ${service.url}/`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  // A second Ctrl-C while the workers hand their runs back stops at once.
  process.once("SIGINT", () => process.exit(130));
  await service.close();
}
