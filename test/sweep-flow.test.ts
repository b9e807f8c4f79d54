// Sweeps on the real service and workers, on real MNIST: reproducible at any worker count, surviving a SIGKILL of
// the service, stopping a space that never trains, and drawing every plot for a finished sweep.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterEach, describe, expect, it } from "vitest";
import { exited, freePort, healthy, json, startCli } from "./support/processes.ts";
import { startTestServer, waitFor } from "./support/server.ts";

const TINY = {
  model: { kind: "mlp", depth: 1, width: 32 },
  steps: 60,
  logEverySteps: 30,
  evalEverySteps: 30,
  validationSize: 500,
};
const FAST = { SWEEPLAB_POLL_MS: "100", SWEEPLAB_LEASE_MS: "3000", SWEEPLAB_CHECKPOINT_EVERY_STEPS: "50" };

interface SweepView {
  id: string;
  status: string;
  stopReason: string | null;
  trialRuns: {
    trialIndex: number;
    repeatIndex: number;
    runId: string;
    status: string;
    params: Record<string, unknown>;
    error: string | null;
  }[];
  leaderboard: { rank: number; mean: number | null; withinNoise: boolean }[];
  best: { config: { model: { width: number } } } | null;
}

async function createSweep(url: string, body: unknown): Promise<SweepView> {
  const response = await fetch(`${url}/v1/sweeps`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) throw new Error(`sweep: ${response.status} ${await response.text()}`);
  return (await response.json()) as SweepView;
}

const ended = (url: string, id: string, timeoutMs = 240_000) =>
  waitFor(
    `sweep ${id}`,
    async () => {
      const sweep = await json<SweepView>(`${url}/v1/sweeps/${id}`);
      return sweep.status === "running" ? undefined : sweep;
    },
    timeoutMs,
  );

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("sweeps on real workers", () => {
  it("proposes the same configs with 1 and 2 workers, and draws every plot of the finished sweep", async () => {
    const body = { preset: "seed-mlp", base: TINY, trials: 6, parallelism: 2, seed: 3 };
    const params: Record<string, unknown>[][] = [];
    for (const workers of ["1", "2"]) {
      const server = await startTestServer({ WORKERS: workers, ...FAST });
      cleanups.push(() => server.close());
      const sweep = await ended(server.url, (await createSweep(server.url, body)).id);
      expect(sweep.status).toBe("succeeded");
      expect(sweep.trialRuns.map((t) => t.trialIndex)).toEqual([0, 1, 2, 3, 4, 5]);
      // A trial may collapse (SGD at the top of its lr range) but none fails for the engine's reasons.
      expect(sweep.trialRuns.filter((t) => t.status !== "succeeded" && t.status !== "diverged")).toEqual([]);
      expect(sweep.leaderboard[0]).toMatchObject({ rank: 1, withinNoise: true });
      expect(sweep.best?.config.model.width).toBe(32);
      params.push(sweep.trialRuns.map((t) => t.params));

      if (workers === "2") {
        for (const kind of [
          "parallel-coordinates",
          "metric-by-parameter",
          "best-so-far",
          "validation-curves",
          "importance",
        ]) {
          const svg = await (
            await fetch(`${server.url}/v1/sweeps/${sweep.id}/plots/${kind}?format=svg`)
          ).text();
          expect(svg.startsWith("<svg")).toBe(true);
          expect(svg).toContain("</svg>");
          const png = PNG.sync.read(
            Buffer.from(
              await (
                await fetch(`${server.url}/v1/sweeps/${sweep.id}/plots/${kind}?format=png`)
              ).arrayBuffer(),
            ),
          );
          expect(png.width).toBeGreaterThan(100);
        }
        // One line per trial in parallel coordinates (6 trials, each a path with the trial's metric).
        const parallel = await (
          await fetch(`${server.url}/v1/sweeps/${sweep.id}/plots/parallel-coordinates?format=svg`)
        ).text();
        expect(
          (parallel.match(/role-mark[^"]*line|<path[^>]*aria-roledescription="line mark"/g) ?? []).length,
        ).toBeGreaterThanOrEqual(6);
      }
    }
    expect(params[1]).toEqual(params[0]);
  }, 300_000);

  it("stops a space that always diverges after K failures in a row, with the reason; its runs end diverged", async () => {
    const server = await startTestServer({ WORKERS: "1", ...FAST });
    cleanups.push(() => server.close());
    const sweep = await createSweep(server.url, {
      // The divergence rule judges runs of 100 steps or more (core/src/train/divergence.ts).
      base: { ...TINY, steps: 120, optimizer: { kind: "sgd", momentum: 0.9 }, logEverySteps: 10 },
      space: {
        parameters: [{ name: "lr", path: "optimizer.learningRate", type: "categorical", values: [60, 90] }],
      },
      method: "random",
      trials: 10,
      parallelism: 1,
      maxConsecutiveFailures: 3,
    });
    const done = await ended(server.url, sweep.id);
    expect(done.status).toBe("failed");
    expect(done.stopReason).toMatch(/stopped after 3 trials in a row failed or diverged/);
    expect(done.trialRuns).toHaveLength(3);
    expect(done.trialRuns.map((t) => t.status)).toEqual(["diverged", "diverged", "diverged"]);
    expect(done.trialRuns[0]!.error).toMatch(/NON_FINITE_LOSS|DIVERGED/);
  }, 180_000);

  it("completes a sweep with every trial once after the service is killed with SIGKILL mid-sweep", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-sweep-kill-"));
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), SWEEPLAB_DATA_DIR: dataDir, WORKERS: "2", ...FAST };
    let service = startCli(["serve"], env);
    cleanups.push(() => service.kill("SIGKILL"));
    await healthy(url, service);
    const { id } = await createSweep(url, {
      preset: "seed-mlp",
      base: { ...TINY, steps: 150 },
      trials: 6,
      parallelism: 2,
      seed: 5,
    });
    await waitFor("two trials done", async () => {
      const sweep = await json<SweepView>(`${url}/v1/sweeps/${id}`);
      return sweep.trialRuns.filter((t) => t.status === "succeeded").length >= 2 ? true : undefined;
    });
    service.kill("SIGKILL");
    await exited(service);
    service = startCli(["serve"], env);
    await healthy(url, service);
    const sweep = await ended(url, id);
    expect(sweep.status).toBe("succeeded");
    expect(sweep.trialRuns.map((t) => `${t.trialIndex}/${t.repeatIndex}`)).toEqual([
      "0/0",
      "1/0",
      "2/0",
      "3/0",
      "4/0",
      "5/0",
    ]);
    expect(sweep.trialRuns.every((t) => t.status === "succeeded")).toBe(true);
  }, 300_000);
});
