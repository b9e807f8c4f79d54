import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { startService } from "./service.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** This process's child processes (pgrep exits 1 when there are none). */
function children(): number[] {
  try {
    return execFileSync("pgrep", ["-P", String(process.pid)], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

describe("startService", () => {
  it("stops the workers it started when its store cannot open (they start before it, waiting for the store)", async () => {
    const folder = mkdtempSync(join(tmpdir(), "sweeplab-service-"));
    folders.push(folder);
    // A file where the store's folder should be: the SQLite file cannot be created.
    writeFileSync(join(folder, "blocked"), "");
    const config = loadConfig({
      PORT: "0",
      DATABASE_URL: `file:${join(folder, "blocked", "store.sqlite")}`,
      SWEEPLAB_DATA_DIR: folder,
      WORKERS: "1",
      SWEEPLAB_LOG_LEVEL: "silent",
    });
    const before = children();
    await expect(startService(config)).rejects.toThrow();
    expect(children().filter((pid) => !before.includes(pid))).toEqual([]);
  }, 60_000);
});
