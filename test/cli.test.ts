import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as sweeplab } from "./support/processes.ts";
import { startTestServer } from "./support/server.ts";

const repoRoot = join(process.cwd(), "..");

const SMALL = ["--model", "mlp", "--depth", "1", "--width", "32", "--steps", "150", "--eval-every", "150"];

describe("the CLI against a remote service with a token", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({ SWEEPLAB_TOKEN: "cli-token" });
    env = { SWEEPLAB_URL: server.url, SWEEPLAB_TOKEN: "cli-token" };
  });
  afterAll(() => server.close());

  it("trains and prints the finished run as JSON", async () => {
    const { code, stdout } = await sweeplab(["train", ...SMALL, "--json"], env);
    expect(code).toBe(0);
    const run = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
      status: string;
      testAccuracy: number;
      step: number;
    };
    expect(run).toMatchObject({ status: "succeeded", step: 150 });
    expect(run.testAccuracy).toBeGreaterThan(0.8);
  });

  it("exits 1 with CODE: detail for a diverging run", async () => {
    const { code, stderr } = await sweeplab(["train", ...SMALL, "--opt", "sgd", "--lr", "1000"], env);
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").at(-1)).toMatch(/^NON_FINITE_LOSS: run run_\w+ diverged/);
  });

  it("exits 2 for a usage error, with one line and no stack trace", async () => {
    const bad = await sweeplab(["train", "--steps", "-5"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^VALIDATION_FAILED: .*config\.steps/);
    const unknown = await sweeplab(["train", "--lr"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    const host = await sweeplab(["--host", "bad url", "runs", "ls"]);
    expect(host.code).toBe(2);
    expect(host.stderr.trim()).toBe(
      'USAGE: --host (or SWEEPLAB_URL) is not a URL: "bad url" (e.g. http://gpu-box:8787)',
    );
  });

  it("is refused without the token (exit 3, naming the request)", async () => {
    const { code, stderr } = await sweeplab(["runs", "ls"], { SWEEPLAB_URL: server.url });
    expect(code).toBe(3);
    expect(stderr.trim()).toMatch(
      new RegExp(`^UNAUTHORIZED: .* \\(GET ${server.url}/v1/runs\\?limit=20\\)$`),
    );
  });

  it("stores the same config for the study's env-var command and the equivalent flags", async () => {
    const study = {
      STEPS: "5000",
      BATCH: "256",
      LR_MAX: "0.0009804",
      ACT: "silu",
      WIDTH: "512",
      WD: "0",
      OPT: "adamw",
    };
    const viaEnv = await sweeplab(["train", "--model", "mlp", "--detach", "--json"], { ...env, ...study });
    const viaFlags = await sweeplab(
      [
        "train",
        "--model",
        "mlp",
        "--steps",
        "5000",
        "--batch",
        "256",
        "--lr",
        "0.0009804",
        "--act",
        "silu",
        "--width",
        "512",
        "--wd",
        "0",
        "--opt",
        "adamw",
        "--detach",
        "--json",
      ],
      env,
    );
    const ids = [viaEnv, viaFlags].map((r) => (JSON.parse(r.stdout) as { id: string }).id);
    const stored = await Promise.all(
      ids.map(async (id) => {
        const response = await fetch(`${server.url}/v1/runs/${id}`, {
          headers: { Authorization: "Bearer cli-token" },
        });
        return ((await response.json()) as { config: unknown }).config;
      }),
    );
    expect(stored[0]).toEqual(stored[1]);
    for (const id of ids) await sweeplab(["runs", "cancel", id], env);
  });
});

describe("the CLI as installed", () => {
  it("prints its package's version", async () => {
    const { code, stdout } = await sweeplab(["--version"]);
    expect(code).toBe(0);
    const { version } = JSON.parse(readFileSync(join(repoRoot, "packages/cli/package.json"), "utf8")) as {
      version: string;
    };
    expect(stdout.trim()).toBe(version);
  });
});

describe("the CLI with no host (embedded service)", () => {
  it("trains on a local SQLite file and lists the run afterwards", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-cli-"));
    const trained = await sweeplab(["train", ...SMALL, "--json", "--plot", join(dataDir, "curves.svg")], {
      SWEEPLAB_DATA_DIR: dataDir,
    });
    expect(trained.code).toBe(0);
    const run = JSON.parse(trained.stdout.trim().split("\n").at(-1)!) as { id: string; status: string };
    expect(run.status).toBe("succeeded");
    const listed = await sweeplab(["runs", "ls", "--json"], { SWEEPLAB_DATA_DIR: dataDir });
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((r) => r.id)).toEqual([run.id]);
  });
});
