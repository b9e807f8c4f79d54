import { RunFailedError, UsageError } from "../errors.ts";
import { loadServer } from "../load-server.ts";

/**
 * `sweeplab worker`: training processes on this host for the queue in a shared store, until Ctrl-C or SIGTERM
 * (then each checkpoints its run and hands it back, spending no attempt).
 */
export async function runWorkers(options: { databaseUrl?: string; concurrency?: string; backend?: string }) {
  const { loadConfig, startWorkers } = await loadServer();
  const env = { ...process.env };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.concurrency) env.WORKERS = options.concurrency;
  if (options.backend) env.SWEEPLAB_BACKEND = options.backend;
  if (!env.DATABASE_URL)
    throw new UsageError("--database-url (or DATABASE_URL) is required: the store the queue lives in");
  const config = loadConfig(env);
  const workers = await startWorkers(config);
  console.log(`sweeplab worker: ${config.workers} process(es) on ${workers.location}`);
  // Until Ctrl-C or SIGTERM; or until every training process gave up on its backend: a host that cannot train
  // exits 1 with the reason (for whatever supervises it) instead of idling.
  let problem: string | undefined;
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      problem = workers.problem();
      if (problem) resolve();
    }, 500);
    const done = () => {
      clearInterval(check);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  process.once("SIGINT", () => process.exit(130));
  await workers.close();
  if (problem) throw new RunFailedError("BACKEND_UNAVAILABLE", `${problem}; this host cannot train`);
}
