// The run engine across processes: an API with no workers of its own, standalone `sweeplab worker` processes on
// one PostgreSQL queue, a worker killed mid-run, a polite shutdown, and cancel through a worker's death.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPostgresDatabase, TEST_DATABASE_URL, type TestDatabase } from "@sweeplab/server/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { exited, freePort, healthy, json, killWorkerHost, startCli, submitRun } from "./support/processes.ts";
import { readEvents, SHORT_MLP, startTestServer, waitFor } from "./support/server.ts";

const RUN = { ...SHORT_MLP, steps: 400 };
// Leases short enough that a killed worker's run comes back within the test, long enough that a loaded CI machine
// (its image builds beside these flows) does not lapse live workers' leases: at 3 s, runs were requeued again and
// again there while their workers still trained them (six runs did not finish in 240 s).
const FAST_LEASES = {
  SWEEPLAB_LEASE_MS: "10000",
  SWEEPLAB_POLL_MS: "100",
  SWEEPLAB_CHECKPOINT_EVERY_STEPS: "100",
};

interface RunView {
  id: string;
  status: string;
  step: number;
  attempts: number;
}
type Events = { id: number; event: string; data: unknown }[];

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!TEST_DATABASE_URL)("several workers on one PostgreSQL queue", () => {
  let db: TestDatabase;

  it("trains 6 runs with two `sweeplab worker` processes, one killed mid-run: each trained to its end exactly once", async () => {
    db = await createPostgresDatabase();
    cleanups.push(() => db.drop());
    const api = await startTestServer({ DATABASE_URL: db.url, WORKERS: "0", ...FAST_LEASES });
    cleanups.push(() => api.close());
    const depth = async () =>
      Number(/^sweeplab_queue_depth (\d+)$/m.exec(await (await fetch(`${api.url}/metrics`)).text())?.[1]);

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await submitRun(api.url, { ...RUN, seed: i }));
    expect(await depth()).toBe(6);

    const workers = [0, 1].map(() => startCli(["worker", "--database-url", db.url], FAST_LEASES));
    for (const w of workers) cleanups.push(() => w.kill("SIGKILL"));
    // Follow the first run over SSE from the API process while a worker process trains it.
    const followed = readEvents(`${api.url}/v1/runs/${ids[0]}/events`);

    // Kill whichever worker holds a run that has a checkpoint.
    const victim = await waitFor("a checkpointed run in training", async () => {
      const status = await json<{ workers: { pid: number; runId: string | null }[] }>(`${api.url}/v1/status`);
      for (const w of status.workers) {
        if (!w.runId) continue;
        const events = await readEvents(
          `${api.url}/v1/runs/${w.runId}/events`,
          {},
          (e) => e.event === "checkpoint",
        );
        if (events.at(-1)?.event === "checkpoint") return w;
      }
      return undefined;
    });
    killWorkerHost(victim.pid);

    const finished = await waitFor(
      "all 6 runs",
      async () => {
        const runs = await Promise.all(ids.map((id) => json<RunView>(`${api.url}/v1/runs/${id}`)));
        return runs.every((r) => r.status === "succeeded") ? runs : undefined;
      },
      240_000,
    );
    expect(finished.map((r) => r.step)).toEqual(ids.map(() => 400));
    expect(await depth()).toBe(0);

    const histories: Events[] = await Promise.all(
      ids.map((id) => readEvents(`${api.url}/v1/runs/${id}/events`)),
    );
    let resumed = 0;
    for (const events of histories) {
      const names = events.map((e) => e.event);
      expect(names.filter((n) => n === "finished")).toHaveLength(1);
      expect(names.at(-1)).toBe("finished");
      // Within one claim steps only go forward, and a resumed claim starts past its checkpoint: no step is
      // trained twice by two workers at once (the store refuses writes from a worker that lost its lease).
      let lastStep = 0;
      for (const e of events) {
        if (e.event === "started") lastStep = (e.data as { resumedFromStep?: number }).resumedFromStep ?? 0;
        if (e.event === "step") {
          const { step } = e.data as { step: number };
          expect(step).toBeGreaterThan(lastStep);
          lastStep = step;
        }
      }
      if (names.includes("requeued")) {
        resumed += 1;
        const started = events.filter((e) => e.event === "started").at(-1)!.data as {
          resumedFromStep?: number;
        };
        expect(started.resumedFromStep).toBeGreaterThanOrEqual(100);
      } else {
        expect(names.filter((n) => n === "claimed")).toHaveLength(1);
      }
    }
    expect(resumed).toBe(1);
    const killedRun = finished.find((_, i) => histories[i]!.some((e) => e.event === "requeued"))!;
    expect(killedRun.attempts).toBe(2);

    // The stream the API process served for a run trained in a worker process went to its end.
    const streamed = await followed;
    expect(streamed.at(-1)?.event).toBe("finished");
    expect(streamed.filter((e) => e.event === "eval").length).toBeGreaterThanOrEqual(4);
  }, 300_000);

  it("keeps a cancel of a running run through its worker's death", async () => {
    db = await createPostgresDatabase();
    cleanups.push(() => db.drop());
    const api = await startTestServer({ DATABASE_URL: db.url, WORKERS: "0", ...FAST_LEASES });
    cleanups.push(() => api.close());
    const worker = startCli(["worker", "--database-url", db.url], FAST_LEASES);
    cleanups.push(() => worker.kill("SIGKILL"));
    const id = await submitRun(api.url, { ...RUN, steps: 5000 });
    const trainer = await waitFor("training", async () => {
      const status = await json<{ workers: { pid: number; runId: string | null }[] }>(`${api.url}/v1/status`);
      const w = status.workers.find((x) => x.runId === id);
      return w && (await json<RunView>(`${api.url}/v1/runs/${id}`)).step > 0 ? w : undefined;
    });
    killWorkerHost(trainer.pid);
    await exited(worker);
    // On a loaded machine a lease can lapse before the kill and the run be claimed again: count claims from here.
    const claimsAtDeath = (await json<RunView>(`${api.url}/v1/runs/${id}`)).attempts;
    const canceled = await json<RunView & { cancelRequested: boolean }>(`${api.url}/v1/runs/${id}/cancel`, {
      method: "POST",
    });
    expect(canceled).toMatchObject({ status: "running", cancelRequested: true });
    // Another worker starts; the run must not be trained again: its lease expires into `canceled`.
    const second = startCli(["worker", "--database-url", db.url], FAST_LEASES);
    cleanups.push(() => second.kill("SIGKILL"));
    const events = await readEvents(`${api.url}/v1/runs/${id}/events`);
    expect(events.at(-1)?.event).toBe("canceled");
    expect(events.filter((e) => e.event === "claimed")).toHaveLength(claimsAtDeath);
    const after = await json<RunView>(`${api.url}/v1/runs/${id}`);
    expect([after.status, after.attempts]).toEqual(["canceled", claimsAtDeath]);
  }, 120_000);
});

describe("the service stopping and one owner per data folder", () => {
  it("exits within 10 s on SIGTERM with an event stream open; the run resumes after restart without spending an attempt", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-sigterm-"));
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), SWEEPLAB_DATA_DIR: dataDir, ...FAST_LEASES };
    let service = startCli(["serve"], env);
    cleanups.push(() => service.kill("SIGKILL"));
    await healthy(url, service);
    const id = await submitRun(url, { ...RUN, steps: 1500 });
    await readEvents(`${url}/v1/runs/${id}/events`, {}, (e) => e.event === "checkpoint");
    // An open stream that has replayed what there was (up to the checkpoint) when the service is stopped.
    const response = await fetch(`${url}/v1/runs/${id}/events`);
    const reader = response.body!.getReader();
    let received = "";
    while (!received.includes("event: checkpoint"))
      received += new TextDecoder().decode((await reader.read()).value);
    const stream = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read())
        received += new TextDecoder().decode(r.value);
      return received;
    })();

    const stoppedAt = Date.now();
    service.kill("SIGTERM");
    expect(await exited(service)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    // The open stream ended cleanly (no terminal event: a client resumes it later).
    const partial = await stream;
    expect(partial).toContain("event: checkpoint");
    expect(partial).not.toContain("event: finished");
    const released = await (async () => {
      service = startCli(["serve"], env);
      await healthy(url, service);
      return json<RunView>(`${url}/v1/runs/${id}`);
    })();
    expect(released.attempts).toBeLessThanOrEqual(1);
    const events = await readEvents(`${url}/v1/runs/${id}/events`);
    const resumed = events.filter((e) => e.event === "started").at(-1)!.data as { resumedFromStep?: number };
    expect(resumed.resumedFromStep).toBeGreaterThan(0);
    expect(events.at(-1)?.event).toBe("finished");
    expect(await json<RunView>(`${url}/v1/runs/${id}`)).toMatchObject({ status: "succeeded", attempts: 1 });
  }, 180_000);

  it("sends an embedded `sweeplab train` to the service that owns the data folder, touching none of its runs", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-owner-"));
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = startCli(["serve"], { PORT: String(port), SWEEPLAB_DATA_DIR: dataDir, ...FAST_LEASES });
    cleanups.push(() => service.kill("SIGKILL"));
    await healthy(url, service);
    const served = await submitRun(url, { ...RUN, steps: 1200 });
    await waitFor("training", async () =>
      (await json<RunView>(`${url}/v1/runs/${served}`)).step > 0 ? true : undefined,
    );
    const before = await readEvents(`${url}/v1/runs/${served}/events`, {}, (e) => e.event === "step");

    const cli = startCli(
      ["train", "--model", "mlp", "--depth", "1", "--width", "32", "--steps", "100", "--json"],
      {
        SWEEPLAB_DATA_DIR: dataDir,
        SWEEPLAB_URL: "",
      },
    );
    expect(await exited(cli)).toBe(0);
    const trained = JSON.parse(cli.output().trim().split("\n").at(-1)!) as { id: string; status: string };
    expect(trained.status).toBe("succeeded");
    // The CLI's run went through the service: the service lists it.
    expect((await json<RunView>(`${url}/v1/runs/${trained.id}`)).status).toBe("succeeded");

    const events = await readEvents(`${url}/v1/runs/${served}/events`);
    expect(events.map((e) => e.event).filter((n) => n === "requeued" || n === "claimed")).toEqual([
      "claimed",
    ]);
    expect(events.slice(0, before.length)).toEqual(before);
    expect(events.at(-1)?.event).toBe("finished");

    // A second service on the same folder refuses to start and names the folder.
    const second = startCli(["serve", "--port", String(freePort())], { SWEEPLAB_DATA_DIR: dataDir });
    expect(await exited(second)).toBe(1);
    expect(second.output()).toMatch(
      /DATA_FOLDER_IN_USE: .*store\.sqlite is served by another sweeplab process/,
    );
  }, 180_000);
});
