import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./support/processes.ts";
import { readEvents, SHORT_MLP, startTestServer, waitFor } from "./support/server.ts";

const RUN = { ...SHORT_MLP, steps: 600 };

async function submit(url: string): Promise<string> {
  const response = await fetch(`${url}/v1/runs`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ config: RUN }),
  });
  return ((await response.json()) as { id: string }).id;
}

const firstCheckpoint = (url: string, id: string) =>
  readEvents(`${url}/v1/runs/${id}/events`, {}, (e) => e.event === "checkpoint");

describe("recovery", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("resumes a run from its checkpoint after its worker is killed with SIGKILL", async () => {
    const server = await startTestServer({ SWEEPLAB_CHECKPOINT_EVERY_STEPS: "200" });
    cleanups.push(() => server.close());
    const id = await submit(server.url);
    await firstCheckpoint(server.url, id);
    const status = (await (await fetch(`${server.url}/v1/status`)).json()) as {
      workers: { pid: number; runId: string }[];
    };
    const worker = status.workers.find((w) => w.runId === id)!;
    process.kill(worker.pid, "SIGKILL");

    const events = await readEvents(`${server.url}/v1/runs/${id}/events`);
    const names = events.map((e) => e.event);
    expect(names).toContain("requeued");
    const resumed = events.filter((e) => e.event === "started").at(-1)!.data as { resumedFromStep?: number };
    expect(resumed.resumedFromStep).toBeGreaterThanOrEqual(200);
    expect(names.at(-1)).toBe("finished");
    const run = (await (await fetch(`${server.url}/v1/runs/${id}`)).json()) as {
      status: string;
      step: number;
      attempts: number;
    };
    expect(run).toMatchObject({ status: "succeeded", step: 600, attempts: 2 });
  });

  it("finishes a run after the whole server process is killed and started again", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-restart-"));
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const start = (): ChildProcess =>
      spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: join(process.cwd(), "../packages/server"),
        env: {
          ...process.env,
          PORT: String(port),
          SWEEPLAB_DATA_DIR: dataDir,
          SWEEPLAB_CHECKPOINT_EVERY_STEPS: "200",
        },
        stdio: "ignore",
      });
    const healthy = () =>
      waitFor("the server", async () =>
        (await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined,
      );

    let server = start();
    cleanups.push(() => server.kill("SIGKILL"));
    await healthy();
    const id = await submit(url);
    await firstCheckpoint(url, id);
    const { workers } = (await (await fetch(`${url}/v1/status`)).json()) as { workers: { pid: number }[] };
    expect(workers.length).toBeGreaterThan(0);
    server.kill("SIGKILL");
    await new Promise((resolve) => server.once("exit", resolve));
    // The killed server's workers do not outlive it: they stop politely (or, stuck, end themselves).
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor("the killed server's workers to exit", async () =>
      workers.some((w) => alive(w.pid)) ? undefined : true,
    );

    server = start();
    await healthy();
    const events = await readEvents(`${url}/v1/runs/${id}/events`);
    const resumed = events.filter((e) => e.event === "started").at(-1)!.data as { resumedFromStep?: number };
    expect(resumed.resumedFromStep).toBeGreaterThanOrEqual(200);
    expect(events.at(-1)!.event).toBe("finished");
    const run = (await (await fetch(`${url}/v1/runs/${id}`)).json()) as { status: string; step: number };
    expect(run).toMatchObject({ status: "succeeded", step: 600 });
  });
});
