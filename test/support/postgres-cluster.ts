// A PostgreSQL server of the test's own: initdb into a temporary folder, listening on a kernel-given loopback port,
// so that a fault flow can stop and restart it without touching the PostgreSQL other tests (and other people) use.
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./processes.ts";

export interface PostgresCluster {
  url: string;
  /** Stops the server as an operator's restart does (`-m fast`: sessions end with 57P01). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): Promise<void>;
}

/** The folder holding initdb and pg_ctl of the newest PostgreSQL installed the Debian way, if any. */
function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin/pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

/** Why a private cluster cannot be started here, or undefined when it can. */
export function clusterUnavailable(): string | undefined {
  if (!postgresBin()) return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin";
  if (process.getuid?.() === 0) {
    try {
      execFileSync("id", ["postgres"], { stdio: "ignore" });
    } catch {
      return "running as root without a `postgres` user to run the server as";
    }
  }
  return undefined;
}

/** initdb, then start; every step asynchronous, so that a service in the test's own process keeps answering. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBin()!;
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "sweeplab-pg-"));
  // PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user and owns its folder.
  if (root) {
    chownSync(
      dir,
      Number(execFileSync("id", ["-u", "postgres"])),
      Number(execFileSync("id", ["-g", "postgres"])),
    );
  }
  const run = async (tool: string, args: string[]) => {
    const [command, argv] = root
      ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]]
      : [join(bin, tool), args];
    await promisify(execFile)(command as string, argv as string[], { cwd: dir, timeout: 60_000 });
  };
  const data = join(dir, "data");
  const port = freePort();
  await run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () =>
    run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "30", "start"]);
  const stop = () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      await run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "30", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
