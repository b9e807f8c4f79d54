// The real service bench-sweeps drives: the server's app on port 0 over a temporary SQLite folder with N local
// workers, or an API on PostgreSQL with `sweeplab worker` processes; the SDK is the client.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createClient, type SweeplabClient } from "@sweeplab/sdk";
import { loadConfig, startService } from "@sweeplab/server";
import { createPostgresDatabase } from "@sweeplab/server/test-support";

const ROOT = resolve(import.meta.dirname, "../../../..");

export interface BenchService {
  client: SweeplabClient;
  /** Where the store is, in words. */
  store: string;
  close(): Promise<void>;
}

/**
 * TensorFlow's thread pools read these when the native library starts (checked: one `tf_Compute` thread with 1,
 * two by default on 2 cores). Workers are forked with this process's environment, so setting them here sets them
 * for every worker started after.
 */
export function threadEnv(threads: number): Record<string, string> {
  return { TF_NUM_INTRAOP_THREADS: String(threads), TF_NUM_INTEROP_THREADS: String(threads) };
}

async function untilWorkers(client: SweeplabClient, count: number, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await client.status().catch(() => undefined);
    const idle = status?.workers.filter((w) => w.state === "idle").length ?? 0;
    if (idle >= count) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} idle worker(s)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The service on 127.0.0.1:0 with `workers` local workers at `threads` TensorFlow threads each, ready to train. */
export async function startBenchService(options: {
  workers: number;
  threads: number;
  databaseUrl?: string;
}): Promise<BenchService> {
  const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-bench-sweeps-"));
  Object.assign(process.env, threadEnv(options.threads));
  const config = loadConfig({
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    SWEEPLAB_DATA_DIR: dataDir,
    SWEEPLAB_TOKEN: "",
    WORKERS: String(options.workers),
    SWEEPLAB_BACKEND: process.env.SWEEPLAB_BACKEND ?? "tensorflow",
    SWEEPLAB_LOG_LEVEL: process.env.SWEEPLAB_LOG_LEVEL ?? "warn",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const service = await startService(config);
  const client = createClient({ baseUrl: service.url, timeoutMs: 120_000 });
  await untilWorkers(client, options.workers);
  return {
    client,
    store: service.deps.store.location,
    async close() {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * An API with no workers of its own on a fresh PostgreSQL database (created on the server `adminUrl` names and
 * dropped at close), and `hosts` `sweeplab worker` processes at `threads` threads each, as separate hosts would run.
 */
export async function startPostgresBench(options: {
  adminUrl: string;
  hosts: number;
  threads: number;
}): Promise<BenchService> {
  const db = await createPostgresDatabase(options.adminUrl);
  const api = await startBenchService({ workers: 0, threads: options.threads, databaseUrl: db.url }).catch(
    async (error) => {
      await db.drop();
      throw error;
    },
  );
  const children: ChildProcess[] = [];
  for (let i = 0; i < options.hosts; i++) {
    children.push(
      spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "packages/cli/src/main.ts",
          "worker",
          "--database-url",
          db.url,
          "--concurrency",
          "1",
        ],
        {
          cwd: ROOT,
          env: { ...process.env, ...threadEnv(options.threads), SWEEPLAB_LOG_LEVEL: "warn" },
          stdio: ["ignore", "ignore", "inherit"],
        },
      ),
    );
  }
  const close = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      ),
    );
    await api.close();
    await db.drop();
  };
  try {
    await untilWorkers(api.client, options.hosts);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    client: api.client,
    store: `PostgreSQL (fresh database, ${options.hosts} worker processes)`,
    close,
  };
}

/** Starts a service, hands it to `body`, and closes it whatever happens. */
export async function withService<T>(
  start: () => Promise<BenchService>,
  body: (service: BenchService) => Promise<T>,
): Promise<T> {
  const service = await start();
  try {
    return await body(service);
  } finally {
    await service.close();
  }
}
