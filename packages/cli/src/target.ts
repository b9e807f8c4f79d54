import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createClient, type SweeplabClient } from "@sweeplab/sdk";
import { loadConfig, startService } from "@sweeplab/server";

export interface TargetOptions {
  /** A remote service; without one, the CLI starts one in-process. */
  host?: string;
  token?: string;
  /** For the embedded service: where its SQLite file and models live. */
  dataDir?: string;
}

export interface Target {
  client: SweeplabClient;
  /** Where the client talks to: the remote URL, or "embedded (DIR)". */
  description: string;
  close(): Promise<void>;
}

/** Connects to the remote service, or starts an embedded one on loopback over the local data folder. */
export async function openTarget(options: TargetOptions): Promise<Target> {
  if (options.host) {
    const baseUrl = /^https?:\/\//.test(options.host) ? options.host : `http://${options.host}`;
    return {
      client: createClient({ baseUrl, token: options.token }),
      description: baseUrl,
      close: async () => {},
    };
  }
  const dataDir = options.dataDir ?? join(homedir(), ".sweeplab");
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const service = await startService(
    loadConfig({
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      SWEEPLAB_DATA_DIR: dataDir,
      SWEEPLAB_TOKEN: "",
    }),
  );
  return {
    client: createClient({ baseUrl: service.url }),
    description: `embedded (${dataDir})`,
    close: () => service.close(),
  };
}
