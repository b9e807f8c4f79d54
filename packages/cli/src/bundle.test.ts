import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUNDLE, buildCli, bundleIsFresh, INPUTS } from "../scripts/bundle.mjs";

describe("the bundled CLI", () => {
  it("holds the CLI, the SDK and core's contract, and leaves the server and TensorFlow.js out", async () => {
    await buildCli();
    const inputs = JSON.parse(readFileSync(INPUTS, "utf8")) as string[];
    expect(inputs).toEqual(
      expect.arrayContaining([
        "src/main.ts",
        "../sdk/src/client.ts",
        "../contract/src/index.ts",
        "scripts/bundle.mjs",
      ]),
    );
    expect(inputs.filter((file) => file.startsWith("../server/"))).toEqual([]);
    expect(inputs).not.toContain("../core/src/index.ts");
    const code = readFileSync(BUNDLE, "utf8");
    expect(code).toContain('import("@sweeplab/server")');
    expect(code).not.toMatch(/from\s*"@sweeplab\/server"/);
    for (const unwanted of ["@tensorflow/", "better-sqlite3", "@hono/", "drizzle-orm"])
      expect(code).not.toContain(unwanted);
  }, 60_000); // a build: about a second alone, far longer on a loaded machine
});

describe("bundleIsFresh", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function packageWith(inputs: Record<string, number>, bundleMs: number | undefined) {
    dir = mkdtempSync(join(tmpdir(), "sweeplab-bundle-"));
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "dist"));
    for (const [file, mtimeMs] of Object.entries(inputs)) {
      writeFileSync(join(dir, file), "");
      utimesSync(join(dir, file), mtimeMs / 1000, mtimeMs / 1000);
    }
    writeFileSync(join(dir, "dist/sweeplab.inputs.json"), JSON.stringify(Object.keys(inputs)));
    if (bundleMs !== undefined) {
      writeFileSync(join(dir, "dist/sweeplab.mjs"), "");
      utimesSync(join(dir, "dist/sweeplab.mjs"), bundleMs / 1000, bundleMs / 1000);
    }
    return dir;
  }

  it("is true when every input is older than the bundle", () => {
    expect(bundleIsFresh(packageWith({ "src/a.ts": 1_000_000, "src/b.ts": 2_000_000 }, 3_000_000))).toBe(
      true,
    );
  });

  it("is false when one input changed after the build", () => {
    expect(bundleIsFresh(packageWith({ "src/a.ts": 1_000_000, "src/b.ts": 4_000_000 }, 3_000_000))).toBe(
      false,
    );
  });

  it("is false when an input was deleted, or there is no bundle", () => {
    const deleted = packageWith({ "src/a.ts": 1_000_000 }, 3_000_000);
    rmSync(join(deleted, "src/a.ts"));
    expect(bundleIsFresh(deleted)).toBe(false);
    rmSync(deleted, { recursive: true });
    expect(bundleIsFresh(packageWith({ "src/a.ts": 1_000_000 }, undefined))).toBe(false);
  });
});
