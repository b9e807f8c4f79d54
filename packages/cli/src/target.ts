import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createClient, type SweeplabClient } from "@sweeplab/sdk";
import { UsageError } from "./errors.ts";
import { loadServer } from "./load-server.ts";

export interface TargetOptions {
  /** A remote service; without one, the CLI uses the local data folder's service or starts one in-process. */
  host?: string;
  token?: string;
  /** For the embedded service: where its SQLite file lives. */
  dataDir?: string;
  /** Local training processes for an embedded service (0 for commands that only read). */
  workers?: number | "auto";
}

export interface Target {
  client: SweeplabClient;
  /** Where the client talks to: the remote URL, or "embedded (DIR)". */
  description: string;
  /** The data folder of an embedded service (one this process started: its work stops when the command ends). */
  embeddedDataDir?: string;
  close(): Promise<void>;
}

const remote = (baseUrl: string, token: string | undefined, description = baseUrl): Target => ({
  client: createClient({ baseUrl, token }),
  description,
  close: async () => {},
});

/**
 * Connects to the remote service; else to the service that already serves the local data folder (it owns that
 * SQLite file: the CLI never touches its runs behind its back); else starts an embedded service there. The
 * server's code is loaded only in that last case, so remote commands start fast.
 */
export async function openTarget(options: TargetOptions): Promise<Target> {
  if (options.host) {
    const url = /^https?:\/\//.test(options.host) ? options.host : `http://${options.host}`;
    if (!URL.canParse(url)) {
      throw new UsageError(
        `--host (or SWEEPLAB_URL) is not a URL: "${options.host}" (e.g. http://gpu-box:8787)`,
      );
    }
    return remote(url, options.token);
  }
  const dataDir = options.dataDir ?? join(homedir(), ".sweeplab");
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { findOwner, isPostgresUrl, loadConfig, sqlitePath, startService } = await loadServer();
  const config = loadConfig({
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    SWEEPLAB_DATA_DIR: dataDir,
    SWEEPLAB_TOKEN: "",
    WORKERS: String(options.workers ?? 0),
    SWEEPLAB_LOG_LEVEL: process.env.SWEEPLAB_LOG_LEVEL ?? "warn",
  });
  const owner = isPostgresUrl(config.databaseUrl) ? undefined : findOwner(sqlitePath(config.databaseUrl));
  if (owner) return remote(owner.url, options.token, `${owner.url} (the service serving ${dataDir})`);
  const service = await startService(config);
  return {
    client: createClient({ baseUrl: service.url }),
    description: `embedded (${dataDir})`,
    embeddedDataDir: dataDir,
    close: () => service.close(),
  };
}
