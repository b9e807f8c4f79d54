// A full disk at start-up: `sweeplab serve` on a data folder whose disk (a small tmpfs) is full exits 1 with one
// line saying what is full, for a new store and for a restart over an existing one; never `INTERNAL: ...`.
// (A run whose weights no longer fit is covered in packages/server/src/workers/worker.test.ts.)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRunConfig } from "@sweeplab/core";
import { openStore } from "@sweeplab/server";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/processes.ts";

/** Mounts a tmpfs of `mb` MiB; undefined (with the reason printed) where this process may not mount one. */
function mountTmpfs(mb: number): { dir: string; unmount(): void } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "sweeplab-full-"));
  try {
    if (process.getuid?.() !== 0) throw new Error("not root");
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${mb}m`, "tmpfs", dir], { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    console.warn(`full-disk flow skipped: cannot mount a tmpfs (${(error as Error).message.split("\n")[0]})`);
    return undefined;
  }
  return {
    dir,
    unmount() {
      execFileSync("umount", [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the rest of a file system with one file. */
function fill(dir: string) {
  try {
    execFileSync("dd", ["if=/dev/zero", `of=${join(dir, "filler")}`, "bs=1M", "count=1000"], {
      stdio: "pipe",
    });
  } catch {} // dd ends with "No space left on device": that is the point
}

const serveOnce = (dataDir: string) =>
  runCli(["serve", "--port", "0", "--workers", "0"], {
    SWEEPLAB_DATA_DIR: dataDir,
    SWEEPLAB_LOG_LEVEL: "fatal",
  });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

describe("sweeplab serve on a full disk", () => {
  it("exits 1 with one STORAGE_FULL line naming the store, new or existing", async (context) => {
    const disk = mountTmpfs(8);
    if (!disk) return context.skip();
    cleanups.push(() => disk.unmount());

    // A new store on a disk already full.
    const fresh = join(disk.dir, "fresh");
    mkdirSync(fresh);
    // An existing store: created while the disk had room, then the disk filled up.
    const existing = join(disk.dir, "existing");
    mkdirSync(existing);
    const store = await openStore(`file:${join(existing, "store.sqlite")}`);
    await store.createRun({
      id: "r1",
      name: null,
      tags: [],
      config: parseRunConfig({ steps: 1 }),
      totalSteps: 1,
    });
    await store.close();
    fill(disk.dir);

    for (const dataDir of [fresh, existing]) {
      const result = await serveOnce(dataDir);
      expect(result.code, result.stderr).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^STORAGE_FULL: the disk holding ${dataDir}/store\\.sqlite is full \\(`),
      );
    }
  }, 120_000);
});
