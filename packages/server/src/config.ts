import { availableParallelism, homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** What WORKERS=auto means on this machine: one worker per core, at most 4. */
export function autoWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, 4));
}

/** The service's settings, read once from the environment by main.ts (or the CLI) and passed down frozen. */
const ConfigSchema = z.object({
  PORT: int(8787, 0, 65535),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Where the SQLite file, checkpoints and trained models live. */
  SWEEPLAB_DATA_DIR: z.string().min(1).default(join(homedir(), ".sweeplab")),
  /** The store: `postgres://…` (several hosts share it) or a SQLite file (`file:/path` or a path). */
  DATABASE_URL: z.string().min(1).optional(),
  /**
   * One bearer token or a comma-separated list; unset (or empty) means no auth, allowed on loopback only. A value
   * that holds a blank item (`","`, `" "`, `"a,,b"`) is an error, never a silent "no auth".
   */
  SWEEPLAB_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === "" ? undefined : v.split(",").map((t) => t.trim())))
    .refine((tokens) => tokens === undefined || (tokens.length > 0 && tokens.every(Boolean)), {
      message: "set but holds an empty token (blank, or an empty item in the comma-separated list)",
    }),
  /** `1`: serve without a token off loopback (anyone who reaches the port can train and delete runs). */
  SWEEPLAB_INSECURE_NO_AUTH: z.enum(["0", "1", "true", "false"]).default("0"),
  /** Browser origins (scheme://host[:port], comma-separated) allowed to send state-changing requests. */
  SWEEPLAB_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim().replace(/\/$/, "").toLowerCase())
        .filter(Boolean),
    ),
  /** On loopback, refuse a Host header that is not a loopback name (DNS rebinding); `0` turns that off. */
  SWEEPLAB_CHECK_HOST: z.enum(["0", "1", "true", "false"]).default("1"),
  /** Admission refuses a run whose estimated training memory exceeds this (parameters, optimizer, activations). */
  SWEEPLAB_MAX_RUN_MEMORY_MB: int(4096, 16, 1_000_000),
  /** Weights of trained models kept loaded for /predict in the API process, at most (least recently used go). */
  SWEEPLAB_PREDICTOR_CACHE_MB: int(256, 1, 1_000_000),
  /**
   * Local training processes this service starts; 0 serves the API only (standalone workers train). `auto` (the
   * default): one per core, at most 4. On two cores, two workers of one thread each trained 1.7x the trials an hour
   * of one worker with two (BENCHMARKS.md); beyond two workers it is not measured, hence the cap.
   */
  WORKERS: z.union([z.literal("auto"), z.coerce.number().int().min(0).max(64)]).default("auto"),
  /** Backend the workers train on (`auto`, `tensorflow`, `tensorflow-gpu`, `wasm`, `webgpu`). */
  SWEEPLAB_BACKEND: z.enum(["auto", "tensorflow", "tensorflow-gpu", "wasm", "webgpu"]).default("auto"),
  /**
   * How the native backends run a step: `graph` (one TensorFlow graph per step), `eager` (op by op), `auto` (the
   * default: the graph wherever it can run; BENCHMARKS.md has the figures).
   */
  SWEEPLAB_EXECUTION: z.enum(["auto", "graph", "eager"]).default("auto"),
  SWEEPLAB_CHECKPOINT_EVERY_STEPS: int(250, 1, 1_000_000),
  /**
   * Sweep trials a worker trains together in one batched group (same model, batch size and steps; their own seed,
   * peak lr and weight decay); 1 trains one run at a time; `auto` decides by the worker's backend (worker.ts).
   */
  SWEEPLAB_BATCH_TRIALS: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(64)]).default("auto"),
  /** How many times a run is resumed after its worker died before it fails. */
  SWEEPLAB_MAX_RUN_ATTEMPTS: int(3, 1, 100),
  SWEEPLAB_MAX_QUEUED_RUNS: int(1000, 1, 1_000_000),
  SWEEPLAB_MAX_BODY_BYTES: int(1_000_000, 1024, 100_000_000),
  /** A sweep export file `POST /v1/sweeps/import` reads at most (a sweep's every metric and event, uncompressed). */
  SWEEPLAB_MAX_IMPORT_BYTES: int(64_000_000, 1024, 1_000_000_000),
  /** Server-sent-event keep-alive comments. */
  SWEEPLAB_HEARTBEAT_MS: int(15_000, 100, 600_000),
  /** Sweep event streams open at once, over all sweeps (beyond it: 503 with Retry-After). */
  SWEEPLAB_MAX_SWEEP_STREAMS: int(1000, 1, 100_000),
  /** Event streams open at once on one sweep (beyond it: 429 with Retry-After). */
  SWEEPLAB_MAX_STREAMS_PER_SWEEP: int(250, 1, 100_000),
  /** A worker's claim on a run lasts this long without a heartbeat (they come every third of it). */
  SWEEPLAB_LEASE_MS: int(30_000, 300, 3_600_000),
  /** How often idle workers look for queued runs and event streams look for new events. */
  SWEEPLAB_POLL_MS: int(250, 10, 60_000),
  /** How long a stopping service waits for its workers to checkpoint and hand their runs back. */
  SWEEPLAB_SHUTDOWN_MS: int(8000, 100, 120_000),
  SWEEPLAB_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Allow runs to read a folder on this host or fetch a URL as their dataset (off: clients could probe files or make the server fetch URLs). */
  SWEEPLAB_ALLOW_CUSTOM_DATASETS: z.enum(["0", "1", "true", "false"]).default("0"),
  /**
   * Failed authentications (a wrong bearer token, a wrong token to `POST /v1/session`) one client address may make
   * within SWEEPLAB_AUTH_WINDOW_MS; past that it gets 429 with Retry-After until the window ends.
   */
  SWEEPLAB_AUTH_MAX_FAILURES: int(10, 1, 1_000_000),
  SWEEPLAB_AUTH_WINDOW_MS: int(60_000, 1000, 3_600_000),
  /**
   * `1`: a reverse proxy in front of this service is trusted: its `X-Forwarded-Proto: https` marks the session
   * cookie Secure (and `__Host-` prefixed), and the last address of its `X-Forwarded-For` is the client's (for the
   * auth rate limit). Off, both headers are ignored (any client could send them).
   */
  SWEEPLAB_TRUST_PROXY: z.enum(["0", "1", "true", "false"]).default("0"),
});

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  tokens: readonly string[];
  workers: number;
  backend: "auto" | "tensorflow" | "tensorflow-gpu" | "wasm" | "webgpu";
  execution: "auto" | "graph" | "eager";
  checkpointEverySteps: number;
  batchTrials: number | "auto";
  maxRunAttempts: number;
  maxQueuedRuns: number;
  maxBodyBytes: number;
  maxImportBytes: number;
  heartbeatMs: number;
  maxSweepStreams: number;
  maxStreamsPerSweep: number;
  leaseMs: number;
  pollMs: number;
  shutdownMs: number;
  logLevel: string;
  allowCustomDatasets: boolean;
  insecureNoAuth: boolean;
  allowedOrigins: readonly string[];
  checkHost: boolean;
  maxRunMemoryMb: number;
  predictorCacheMb: number;
  authMaxFailures: number;
  authWindowMs: number;
  trustProxy: boolean;
}

/** The shortest token accepted off loopback: 16 characters (96 bits as base64, 64 as hex) resist guessing. */
export const MIN_TOKEN_LENGTH = 16;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const flag = (v: string) => v === "1" || v === "true";

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
  const tokens = e.SWEEPLAB_TOKEN ?? [];
  const insecureNoAuth = flag(e.SWEEPLAB_INSECURE_NO_AUTH);
  if (tokens.length === 0 && !isLoopbackHost(e.HOST) && !insecureNoAuth) {
    throw new ConfigError(
      `invalid configuration:\n  HOST: listening on ${e.HOST} needs SWEEPLAB_TOKEN (anyone who reaches the port could train and delete runs); set a token, or SWEEPLAB_INSECURE_NO_AUTH=1 (--insecure-no-auth) to serve without one`,
    );
  }
  const short = tokens.filter((t) => t.length < MIN_TOKEN_LENGTH);
  if (short.length > 0 && !isLoopbackHost(e.HOST)) {
    throw new ConfigError(
      `invalid configuration:\n  SWEEPLAB_TOKEN: listening on ${e.HOST} needs tokens of at least ${MIN_TOKEN_LENGTH} characters (${short.length} ${short.length === 1 ? "is" : "are"} shorter: anyone who reaches the port could guess it); make one with \`openssl rand -hex 16\``,
    );
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: e.SWEEPLAB_DATA_DIR,
    databaseUrl: e.DATABASE_URL ?? `file:${join(e.SWEEPLAB_DATA_DIR, "store.sqlite")}`,
    tokens: Object.freeze(tokens),
    workers: e.WORKERS === "auto" ? autoWorkers() : e.WORKERS,
    backend: e.SWEEPLAB_BACKEND,
    execution: e.SWEEPLAB_EXECUTION,
    checkpointEverySteps: e.SWEEPLAB_CHECKPOINT_EVERY_STEPS,
    batchTrials: e.SWEEPLAB_BATCH_TRIALS,
    maxRunAttempts: e.SWEEPLAB_MAX_RUN_ATTEMPTS,
    maxQueuedRuns: e.SWEEPLAB_MAX_QUEUED_RUNS,
    maxBodyBytes: e.SWEEPLAB_MAX_BODY_BYTES,
    maxImportBytes: e.SWEEPLAB_MAX_IMPORT_BYTES,
    heartbeatMs: e.SWEEPLAB_HEARTBEAT_MS,
    maxSweepStreams: e.SWEEPLAB_MAX_SWEEP_STREAMS,
    maxStreamsPerSweep: e.SWEEPLAB_MAX_STREAMS_PER_SWEEP,
    leaseMs: e.SWEEPLAB_LEASE_MS,
    pollMs: e.SWEEPLAB_POLL_MS,
    shutdownMs: e.SWEEPLAB_SHUTDOWN_MS,
    logLevel: e.SWEEPLAB_LOG_LEVEL,
    allowCustomDatasets: flag(e.SWEEPLAB_ALLOW_CUSTOM_DATASETS),
    insecureNoAuth,
    allowedOrigins: Object.freeze(e.SWEEPLAB_ALLOWED_ORIGINS),
    checkHost: flag(e.SWEEPLAB_CHECK_HOST),
    maxRunMemoryMb: e.SWEEPLAB_MAX_RUN_MEMORY_MB,
    predictorCacheMb: e.SWEEPLAB_PREDICTOR_CACHE_MB,
    authMaxFailures: e.SWEEPLAB_AUTH_MAX_FAILURES,
    authWindowMs: e.SWEEPLAB_AUTH_WINDOW_MS,
    trustProxy: flag(e.SWEEPLAB_TRUST_PROXY),
  });
}
