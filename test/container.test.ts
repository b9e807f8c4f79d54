// The container images as a GPU host or a cluster runs them: both built from this checkout
// (scripts/container-build.sh), an API container and two worker containers on the CI's PostgreSQL (host network),
// a sweep submitted by this host's CLI, one worker container killed mid-run, the API stopped and started again.
// Skipped, with the reason printed, only where podman cannot run (or SWEEPLAB_CONTAINER_FLOW=0, or no PostgreSQL).
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { createPostgresDatabase, TEST_DATABASE_URL, type TestDatabase } from "@sweeplab/server/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited, freePort, runCli, startCli } from "./support/processes.ts";
import { readEvents, waitFor } from "./support/server.ts";

const ROOT = join(import.meta.dirname, "..");
const PODMAN = join(ROOT, "scripts/podman.sh");
const IMAGE = `localhost/sweeplab-ci-${process.pid}`;
const run = promisify(execFile);

function whyNotHere(): string | undefined {
  if (process.env.SWEEPLAB_CONTAINER_FLOW === "0") return "SWEEPLAB_CONTAINER_FLOW=0";
  if (!TEST_DATABASE_URL)
    return "TEST_DATABASE_URL is not set (the containers train from a PostgreSQL queue)";
  const info = spawnSync("podman", ["info", "--format", "{{.Host.OCIRuntime.Name}}"], { encoding: "utf8" });
  if (info.error) return "podman is not installed (.ci/run installs podman, runc and debootstrap)";
  if (info.status !== 0) return `podman cannot run here: ${info.stderr.trim().split("\n").at(-1)}`;
  return undefined;
}
const skipReason = whyNotHere();
if (skipReason) console.warn(`container flow skipped: ${skipReason}`);

/** `podman ARGS` through scripts/podman.sh (runc; rlimits this host allows); stdout, or throws with stderr. */
async function podman(...args: string[]): Promise<string> {
  try {
    return (await run(PODMAN, args, { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`podman ${args.join(" ")}: ${stderr?.trim() || message}`);
  }
}

const exitCode = async (container: string) =>
  Number(await podman("inspect", "--format", "{{.State.ExitCode}}", container));

interface SweepJson {
  id: string;
  status: string;
  trialRuns: { trialIndex: number; runId: string; status: string }[];
}
interface RunJson {
  id: string;
  status: string;
  attempts: number;
}

describe.skipIf(skipReason)("the api and worker images", () => {
  const suffix = randomBytes(3).toString("hex");
  const containers: string[] = [];
  let db: TestDatabase;

  beforeAll(async () => {
    // Both images from this checkout; incremental (podman's layer cache, pnpm's store in a cache mount).
    await run(join(ROOT, "scripts/container-build.sh"), ["all"], {
      cwd: ROOT,
      env: { ...process.env, SWEEPLAB_IMAGE: IMAGE },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`scripts/container-build.sh failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    });
    db = await createPostgresDatabase();
  }, 1_800_000);

  afterAll(async () => {
    if (containers.length)
      await podman("rm", "--force", "--ignore", "--volumes", ...containers).catch(() => {});
    await podman("rmi", "--force", `${IMAGE}-api`, `${IMAGE}-worker`).catch(() => {});
    await db?.drop();
  }, 120_000);

  it("the api image refuses to start without a token when it listens on 0.0.0.0, as the service does", async () => {
    const name = `sweeplab-ci-refuse-${suffix}`;
    containers.push(name);
    const result = await run(PODMAN, [
      "run",
      "--name",
      name,
      `${IMAGE}-api`,
      "serve",
      "--listen",
      "0.0.0.0",
    ]).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^CONFIG: .*HOST: listening on 0\.0\.0\.0 needs SWEEPLAB_TOKEN/m);
    expect(await exitCode(name)).toBe(2);
  });

  it("trains a sweep submitted by the host's CLI on two worker containers, one killed mid-run: each trial once; the API restarts with nothing lost", async () => {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const token = randomBytes(16).toString("hex");
    const auth = { Authorization: `Bearer ${token}` };
    const cli = { SWEEPLAB_URL: url, SWEEPLAB_TOKEN: token };
    const shared = [
      ...["--network", "host", "--env", `DATABASE_URL=${db.url}`, "--env", "SWEEPLAB_LOG_LEVEL=warn"],
      // 10 s leases: at 3 s a loaded CI machine let a live worker's lease lapse (the killed container's run was
      // claimed a third time), as it did in engine.test.ts.
      ...["--env", "SWEEPLAB_LEASE_MS=10000", "--env", "SWEEPLAB_POLL_MS=100"],
    ];
    const api = `sweeplab-ci-api-${suffix}`;
    containers.push(api);
    await podman(
      ...["run", "--detach", "--name", api, ...shared, "--env", `PORT=${port}`, "--env", "HOST=127.0.0.1"],
      ...["--env", `SWEEPLAB_TOKEN=${token}`, `${IMAGE}-api`],
    );
    const healthy = () =>
      waitFor("the api container's /healthz", async () =>
        (await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined,
      );
    await healthy();
    // The image's HEALTHCHECK (liveness, /healthz) runs in the container and passes; readiness says the store answers.
    await podman("healthcheck", "run", api);
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ ready: true, store: "postgres" });

    // Two worker hosts; each its own hostname, which the service reports for its workers.
    const workers = ["a", "b"].map((x) => `sweeplab-ci-worker-${x}-${suffix}`);
    for (const name of workers) {
      containers.push(name);
      await podman(
        ...["run", "--detach", "--name", name, "--hostname", name, ...shared],
        ...["--env", "SWEEPLAB_CHECKPOINT_EVERY_STEPS=100", "--env", "TF_NUM_INTRAOP_THREADS=1"],
        ...["--env", "TF_NUM_INTEROP_THREADS=1", `${IMAGE}-worker`],
      );
    }

    const trials = 4;
    const sweep = startCli(
      [
        "sweep",
        "--preset",
        "seed-mlp",
        "--trials",
        String(trials),
        "--steps",
        "500",
        "--parallelism",
        "2",
      ].concat(["--seed", "1", "--json"]),
      cli,
    );
    // Kill the container whose worker holds a run with a checkpoint, with podman kill (SIGKILL to its PID 1: the
    // whole container goes, as a host does when it dies).
    const victim = await waitFor(
      "a worker container training a checkpointed run",
      async () => {
        const status = (await (await fetch(`${url}/v1/status`, { headers: auth })).json()) as {
          workers: { host: string; runId: string | null; backend: { name: string } | null }[];
        };
        for (const w of status.workers) {
          if (!w.runId || !workers.includes(w.host)) continue;
          expect(w.backend?.name).toBe("tensorflow");
          const events = await readEvents(
            `${url}/v1/runs/${w.runId}/events`,
            { headers: auth },
            (e) => e.event === "checkpoint" || e.event === "finished",
          );
          if (events.at(-1)?.event === "checkpoint") return { container: w.host, runId: w.runId };
        }
        return undefined;
      },
      240_000,
    );
    await podman("kill", victim.container);
    expect(await exitCode(victim.container)).toBe(137);

    expect(await exited(sweep)).toBe(0);
    const finished = JSON.parse(sweep.output().trim().split("\n").at(-1)!) as SweepJson;
    expect(finished.status).toBe("succeeded");
    expect(finished.trialRuns.map((t) => [t.trialIndex, t.status])).toEqual(
      Array.from({ length: trials }, (_, i) => [i, "succeeded"]),
    );
    // One run per trial, each trained to its end exactly once; the killed one resumed past its checkpoint.
    const runs = JSON.parse((await runCli(["runs", "ls", "--json"], cli)).stdout) as RunJson[];
    expect(runs.map((r) => r.id).sort()).toEqual(finished.trialRuns.map((t) => t.runId).sort());
    for (const t of finished.trialRuns) {
      const events = await readEvents(`${url}/v1/runs/${t.runId}/events`, { headers: auth });
      const names = events.map((e) => e.event);
      expect(names.filter((n) => n === "finished")).toHaveLength(1);
      expect(names.at(-1)).toBe("finished");
      if (t.runId === victim.runId) {
        expect(names).toContain("requeued");
        const resumed = events.filter((e) => e.event === "started").at(-1)!.data as {
          resumedFromStep?: number;
        };
        expect(resumed.resumedFromStep).toBeGreaterThanOrEqual(100);
      }
    }
    expect(runs.find((r) => r.id === victim.runId)?.attempts).toBe(2);

    // podman stop: SIGTERM, the service closes and exits 0; started again, it serves the same sweep and runs.
    const before = await (await fetch(`${url}/v1/sweeps/${finished.id}`, { headers: auth })).json();
    await podman("stop", "--time", "20", api);
    expect(await exitCode(api)).toBe(0);
    expect(await fetch(`${url}/healthz`).catch(() => "refused")).toBe("refused");
    await podman("start", api);
    await healthy();
    expect(await (await fetch(`${url}/v1/sweeps/${finished.id}`, { headers: auth })).json()).toEqual(before);
    const after = JSON.parse((await runCli(["runs", "ls", "--json"], cli)).stdout) as RunJson[];
    expect(after.map((r) => [r.id, r.status]).sort()).toEqual(runs.map((r) => [r.id, r.status]).sort());

    // The api image's own work, on what its prune left: a prediction (wasm, in the API process) and a PNG plot.
    const best = finished.trialRuns[0]!.runId;
    const predicted = await fetch(`${url}/v1/runs/${best}/predict`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ images: [Array.from({ length: 784 }, (_, i) => (i % 28 > 10 ? 255 : 0))] }),
    });
    expect(predicted.status).toBe(200);
    const { predictions } = (await predicted.json()) as { predictions: { probabilities: number[] }[] };
    expect(predictions[0]!.probabilities).toHaveLength(10);
    expect(predictions[0]!.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    const png = await fetch(`${url}/v1/runs/${best}/curves.png`, { headers: auth });
    expect([png.status, png.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect([...new Uint8Array(await png.arrayBuffer()).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);

    // The surviving worker stops on SIGTERM too (exit 0), having handed nothing back.
    const survivor = workers.find((w) => w !== victim.container)!;
    await podman("stop", "--time", "20", survivor);
    expect(await exitCode(survivor)).toBe(0);
  }, 600_000);
});
