import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The service's settings, read once from the environment by main.ts (or the CLI) and passed down frozen. */
const ConfigSchema = z.object({
  PORT: int(8787, 0, 65535),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Where the SQLite file, checkpoints and trained models live. */
  SWEEPLAB_DATA_DIR: z.string().min(1).default(join(homedir(), ".sweeplab")),
  /** The store: `postgres://…` (several hosts share it) or a SQLite file (`file:/path` or a path). */
  DATABASE_URL: z.string().min(1).optional(),
  /** One bearer token or a comma-separated list; unset means no auth. */
  SWEEPLAB_TOKEN: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean)
        : [],
    ),
  /** Local training processes this service starts; 0 serves the API only (standalone workers train). */
  WORKERS: int(1, 0, 64),
  /** Backend the workers train on (`auto`, `tensorflow`, `tensorflow-gpu`, `wasm`). */
  SWEEPLAB_BACKEND: z.enum(["auto", "tensorflow", "tensorflow-gpu", "wasm"]).default("auto"),
  SWEEPLAB_CHECKPOINT_EVERY_STEPS: int(250, 1, 1_000_000),
  /** How many times a run is resumed after its worker died before it fails. */
  SWEEPLAB_MAX_RUN_ATTEMPTS: int(3, 1, 100),
  SWEEPLAB_MAX_QUEUED_RUNS: int(1000, 1, 1_000_000),
  SWEEPLAB_MAX_BODY_BYTES: int(1_000_000, 1024, 100_000_000),
  /** Server-sent-event keep-alive comments. */
  SWEEPLAB_HEARTBEAT_MS: int(15_000, 100, 600_000),
  /** A worker's claim on a run lasts this long without a heartbeat (they come every third of it). */
  SWEEPLAB_LEASE_MS: int(30_000, 300, 3_600_000),
  /** How often idle workers look for queued runs and event streams look for new events. */
  SWEEPLAB_POLL_MS: int(250, 10, 60_000),
  /** How long a stopping service waits for its workers to checkpoint and hand their runs back. */
  SWEEPLAB_SHUTDOWN_MS: int(8000, 100, 120_000),
  SWEEPLAB_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Allow runs to read a folder on this host or fetch a URL as their dataset (off: clients could probe files or make the server fetch URLs). */
  SWEEPLAB_ALLOW_CUSTOM_DATASETS: z.enum(["0", "1", "true", "false"]).default("0"),
});

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  tokens: readonly string[];
  workers: number;
  backend: "auto" | "tensorflow" | "tensorflow-gpu" | "wasm";
  checkpointEverySteps: number;
  maxRunAttempts: number;
  maxQueuedRuns: number;
  maxBodyBytes: number;
  heartbeatMs: number;
  leaseMs: number;
  pollMs: number;
  shutdownMs: number;
  logLevel: string;
  allowCustomDatasets: boolean;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment; every problem is reported at once. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<ServerConfig> {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: e.SWEEPLAB_DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? `file:${join(e.SWEEPLAB_DATA_DIR, "store.sqlite")}`,
    tokens: Object.freeze(e.SWEEPLAB_TOKEN),
    workers: e.WORKERS,
    backend: e.SWEEPLAB_BACKEND,
    checkpointEverySteps: e.SWEEPLAB_CHECKPOINT_EVERY_STEPS,
    maxRunAttempts: e.SWEEPLAB_MAX_RUN_ATTEMPTS,
    maxQueuedRuns: e.SWEEPLAB_MAX_QUEUED_RUNS,
    maxBodyBytes: e.SWEEPLAB_MAX_BODY_BYTES,
    heartbeatMs: e.SWEEPLAB_HEARTBEAT_MS,
    leaseMs: e.SWEEPLAB_LEASE_MS,
    pollMs: e.SWEEPLAB_POLL_MS,
    shutdownMs: e.SWEEPLAB_SHUTDOWN_MS,
    logLevel: e.SWEEPLAB_LOG_LEVEL,
    allowCustomDatasets:
      e.SWEEPLAB_ALLOW_CUSTOM_DATASETS === "1" || e.SWEEPLAB_ALLOW_CUSTOM_DATASETS === "true",
  });
}
