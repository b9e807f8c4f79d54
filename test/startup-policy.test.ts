import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SWEEPLAB_BIN } from "./support/processes.ts";

const repoRoot = join(process.cwd(), "..");

/** Starts the real `sweeplab serve` and collects its output until it exits or prints that it listens. */
function serve(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string; listening: boolean }> {
  const child = spawn(process.execPath, [SWEEPLAB_BIN, "serve", "--port", "0", "--workers", "1", ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      SWEEPLAB_URL: "",
      SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-start-")),
      ...env,
    },
  });
  let output = "";
  return new Promise((resolve) => {
    const collect = (d: Buffer) => {
      output += d.toString();
      if (output.includes("sweeplab listening on")) {
        child.kill("SIGTERM");
        resolve({ code: null, output, listening: true });
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("close", (code) => resolve({ code, output, listening: false }));
  });
}

describe("sweeplab serve's token policy", () => {
  it("does not start with SWEEPLAB_TOKEN=',' on 0.0.0.0, and says why", async () => {
    const result = await serve(["--listen", "0.0.0.0"], { SWEEPLAB_TOKEN: "," });
    expect(result.listening).toBe(false);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/CONFIG: .*SWEEPLAB_TOKEN: set but holds an empty token/);
  }, 60_000);

  it("does not start off loopback without a token, and names the opt-out", async () => {
    const result = await serve(["--listen", "0.0.0.0"], { SWEEPLAB_TOKEN: "" });
    expect(result.listening).toBe(false);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/needs SWEEPLAB_TOKEN.*--insecure-no-auth/);
  }, 60_000);

  it("starts off loopback without a token only with --insecure-no-auth, and says so", async () => {
    const result = await serve(["--listen", "0.0.0.0", "--insecure-no-auth"], { SWEEPLAB_TOKEN: "" });
    expect(result.listening).toBe(true);
    expect(result.output).toContain("NO AUTH");
  }, 60_000);
});
