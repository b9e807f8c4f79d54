import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp } from "../../test-app.ts";

const PROBLEM = "webgpu: no WebGPU adapter found";

describe("GET /v1/status backendProblem", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function statusOf(app: Awaited<ReturnType<typeof createTestApp>>["app"]) {
    return (await (await app.request("/v1/status")).json()) as { backendProblem: string | null };
  }

  it("is the local workers' problem while no other worker is alive, and null while one is", async () => {
    const { app, deps, close } = await createTestApp({ SWEEPLAB_LEASE_MS: "300" });
    closers.push(close);
    expect((await statusOf(app)).backendProblem).toBeNull();

    deps.workerProblem = () => PROBLEM;
    expect((await statusOf(app)).backendProblem).toBe(PROBLEM);

    await deps.store.upsertWorker({
      id: "other-host-1",
      host: "other-host",
      pid: 1,
      backend: null,
      runId: null,
      startedAt: Date.now(),
    });
    expect((await statusOf(app)).backendProblem).toBeNull();

    // Silent for a whole lease (300 ms here): a worker that died without deregistering cannot train.
    await sleep(400);
    expect((await statusOf(app)).backendProblem).toBe(PROBLEM);
  });
});
