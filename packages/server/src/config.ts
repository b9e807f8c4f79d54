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
  /** Overrides the store: `file:/path/to.sqlite` or a path (SQLite). */
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
  /** Training processes running at once. */
  WORKERS: int(1, 1, 64),
  /** Backend the workers train on (`auto`, `tensorflow`, `tensorflow-gpu`, `wasm`, `webgpu`). */
  SWEEPLAB_BACKEND: z.enum(["auto", "tensorflow", "tensorflow-gpu", "wasm", "webgpu"]).default("auto"),
  SWEEPLAB_CHECKPOINT_EVERY_STEPS: int(250, 1, 1_000_000),
  /** How many times a run is resumed after its worker died before it fails. */
  SWEEPLAB_MAX_RUN_ATTEMPTS: int(3, 1, 100),
  SWEEPLAB_MAX_QUEUED_RUNS: int(1000, 1, 1_000_000),
  SWEEPLAB_MAX_BODY_BYTES: int(1_000_000, 1024, 100_000_000),
  SWEEPLAB_HEARTBEAT_MS: int(15_000, 100, 600_000),
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
  backend: "auto" | "tensorflow" | "tensorflow-gpu" | "wasm" | "webgpu";
  checkpointEverySteps: number;
  maxRunAttempts: number;
  maxQueuedRuns: number;
  maxBodyBytes: number;
  heartbeatMs: number;
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
    databaseUrl: e.DATABASE_URL ?? `file:${join(e.SWEEPLAB_DATA_DIR, "sweeplab.sqlite")}`,
    tokens: Object.freeze(e.SWEEPLAB_TOKEN),
    workers: e.WORKERS,
    backend: e.SWEEPLAB_BACKEND,
    checkpointEverySteps: e.SWEEPLAB_CHECKPOINT_EVERY_STEPS,
    maxRunAttempts: e.SWEEPLAB_MAX_RUN_ATTEMPTS,
    maxQueuedRuns: e.SWEEPLAB_MAX_QUEUED_RUNS,
    maxBodyBytes: e.SWEEPLAB_MAX_BODY_BYTES,
    heartbeatMs: e.SWEEPLAB_HEARTBEAT_MS,
    allowCustomDatasets:
      e.SWEEPLAB_ALLOW_CUSTOM_DATASETS === "1" || e.SWEEPLAB_ALLOW_CUSTOM_DATASETS === "true",
  });
}
