// A training process must end within seconds of losing its supervisor, whatever its log stream does: here the
// supervisor never reads the workers' stderr (the pipes are full), one worker floods its log and the other is
// stuck in a synchronous loop, and the supervisor is killed with SIGKILL.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const SUPERVISOR = join(dirname(fileURLToPath(import.meta.url)), "test-fixtures/orphan-supervisor.ts");
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Whether a process is running (a zombie left to a parent that does not reap is not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
});

describe("a worker whose supervisor is killed", () => {
  it("ends within seconds while logging into a full pipe, and while its main thread is blocked", async () => {
    const supervisor = spawn(process.execPath, ["--import", "tsx", SUPERVISOR], {
      cwd: PACKAGE_DIR,
      stdio: ["ignore", "pipe", "inherit"],
    });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = "";
      supervisor.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!) as number[]);
      });
      supervisor.once("exit", (code) => reject(new Error(`the supervisor exited (${code})`)));
    });
    leftovers.push(...pids);
    expect(pids.every(alive)).toBe(true);
    // Let the workers fill their pipes first, then kill the supervisor outright.
    await sleep(1000);
    supervisor.kill("SIGKILL");
    for (let i = 0; i < 100 && pids.some(alive); i++) await sleep(200);
    expect(pids.filter(alive)).toEqual([]);
  }, 60_000);
});
