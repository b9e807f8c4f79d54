// A backend that cannot load (WebGPU on a host with no adapter, as on CI's machines): `sweeplab train` says so in
// one line and exits 1 instead of waiting forever, `sweeplab serve` logs it once, and the run stays queued for a
// worker that can train it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exited, freePort, healthy, json, startCli } from "./support/processes.ts";

const TRAIN = ["train", "--model", "mlp", "--depth", "1", "--width", "32", "--steps", "50"];
/** Far above the few seconds it takes: a CLI that waits forever is killed here and fails the test. */
const BOUND_MS = 90_000;
const UNAVAILABLE_LINE =
  /^BACKEND_UNAVAILABLE: webgpu: .+; run (run_\w+) stays queued for a worker that can train it$/;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs the CLI to its end, or kills it after BOUND_MS; returns its exit code and output lines. */
async function runCli(args: string[], env: Record<string, string>) {
  const cli = startCli(args, env);
  const killer = setTimeout(() => cli.kill("SIGKILL"), BOUND_MS);
  const code = await exited(cli);
  clearTimeout(killer);
  return { code, lines: cli.output().trim().split("\n") };
}

describe("a service whose workers cannot load their backend", () => {
  it("makes `sweeplab train` exit 1 with one BACKEND_UNAVAILABLE line, the run still queued", async () => {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = startCli(["serve"], {
      PORT: String(port),
      WORKERS: "1",
      SWEEPLAB_BACKEND: "webgpu",
      SWEEPLAB_LOG_LEVEL: "info",
      SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-webgpu-")),
    });
    cleanups.push(() => service.kill("SIGKILL"));
    await healthy(url, service);

    const { code, lines } = await runCli(TRAIN, { SWEEPLAB_URL: url });
    expect(code).toBe(1);
    const runId = lines.at(-1)?.match(UNAVAILABLE_LINE)?.[1];
    expect(runId, lines.join("\n")).toBeDefined();
    expect((await json<{ status: string }>(`${url}/v1/runs/${runId}`)).status).toBe("queued");

    const status = await json<{ backendProblem: string | null; workers: unknown[] }>(`${url}/v1/status`);
    expect(status.backendProblem).toMatch(/^webgpu: /);
    expect(status.workers).toEqual([]);
    const logged = service
      .output()
      .split("\n")
      .filter((line) => line.includes("BACKEND_UNAVAILABLE"));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({
      level: 50,
      msg: expect.stringMatching(/^BACKEND_UNAVAILABLE: webgpu: /),
    });
  });

  it("makes `sweeplab sweep` exit 1 the same way, the sweep still running with its trials queued", async () => {
    const { code, lines } = await runCli(
      ["sweep", "--preset", "seed-mlp", "--trials", "2", "--steps", "50"],
      {
        SWEEPLAB_BACKEND: "webgpu",
        SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-webgpu-sweep-")),
      },
    );
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(
      /^BACKEND_UNAVAILABLE: webgpu: .+; sweep swp_\w+ stays running, its trials queued for a worker that can train them$/,
    );
  });

  it("makes `sweeplab worker` exit 1 with the reason instead of idling on a host that cannot train", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweeplab-webgpu-worker-"));
    const { code, lines } = await runCli(["worker", "--database-url", `file:${dir}/store.sqlite`], {
      SWEEPLAB_BACKEND: "webgpu",
    });
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(/^BACKEND_UNAVAILABLE: webgpu: .+; this host cannot train$/);
  });

  it("makes the embedded `sweeplab train` exit 1 the same way", async () => {
    const { code, lines } = await runCli(TRAIN, {
      SWEEPLAB_BACKEND: "webgpu",
      SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-webgpu-embedded-")),
    });
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(UNAVAILABLE_LINE);
  });
});
