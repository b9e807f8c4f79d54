// The sweep page's budget, estimated finish and resume button in a real Chromium against the real service and its
// worker, on real MNIST with tiny trials: a budgeted sweep shows its limits and, once a trial has finished, an
// estimated finish within its budget; canceled, it resumes from its page and ends with every trial once.
/// <reference lib="dom" />
import { existsSync } from "node:fs";
import { createClient } from "@sweeplab/sdk";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, type NetworkLog, openDashboard } from "./support/browser.ts";
import { startTestServer, waitFor } from "./support/server.ts";

const TOKEN = "dashboard-lifecycle-token";

describe.skipIf(!existsSync(CHROMIUM))(
  "the sweep page's budget, estimated finish and resume in Chromium",
  () => {
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let browser: Browser;
    let page: Page;
    let sdk: ReturnType<typeof createClient>;
    const network: NetworkLog = { served: 0, foreign: [] };
    const consoleProblems: string[] = [];

    beforeAll(async () => {
      server = await startTestServer({ SWEEPLAB_TOKEN: TOKEN, SWEEPLAB_POLL_MS: "100" });
      sdk = createClient({ baseUrl: server.url, token: TOKEN });
      ({ browser, page } = await openDashboard(server.url, TOKEN, {
        network,
        consoleProblems,
        timeoutMs: 90_000,
      }));
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it("shows the budget and, after the first trial, an estimated finish within it; resumes a canceled sweep", async () => {
      const sweep = await sdk.sweeps.create({
        name: "budgeted",
        preset: "seed-mlp",
        trials: 4,
        parallelism: 1,
        base: { steps: 100, evalEverySteps: 25, validationSize: 500 },
        budget: { wallClockSeconds: 3600, maxTrials: 10 },
      });
      await page.getByRole("link", { name: "Sweeps", exact: true }).click();
      await page.getByRole("link", { name: "budgeted" }).click();
      expect(await page.getByTestId("sweep-budget").textContent()).toBe("60 min · 10 trial runs");
      const eta = page.locator('[data-testid="sweep-eta"][data-at^="20"]');
      await eta.waitFor();
      const at = Date.parse((await eta.getAttribute("data-at"))!);
      expect(at).toBeGreaterThan(Date.parse(sweep.createdAt));
      expect(at).toBeLessThanOrEqual(Date.parse(sweep.createdAt) + 3_600_000);

      await sdk.sweeps.cancel(sweep.id);
      await page.locator("h1 .badge", { hasText: "canceled" }).waitFor();
      expect(await page.getByTestId("sweep-eta").count()).toBe(0);
      // Resume once its canceled trial has stopped (the service answers 409 SWEEP_STOPPING before).
      await waitFor("the canceled sweep's trials to stop", async () => {
        const s = await sdk.sweeps.get(sweep.id);
        return s.trialRuns.every((t) => t.status !== "queued" && t.status !== "running") ? true : undefined;
      });
      await page.getByRole("button", { name: "Resume sweep" }).click();
      await page.locator("h1 .badge", { hasText: "running" }).waitFor();
      await page.locator("h1 .badge", { hasText: "succeeded" }).waitFor();
      const done = await sdk.sweeps.get(sweep.id);
      expect(done.trialRuns.map((t) => [t.trialIndex, t.status])).toEqual([
        [0, "succeeded"],
        [1, "succeeded"],
        [2, "succeeded"],
        [3, "succeeded"],
      ]);
      expect(await page.getByTestId("sweep-progress").textContent()).toBe("4 / 4");
      // Complete now: nothing to resume, trials can still be added.
      expect(await page.getByRole("button", { name: "Resume sweep" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Add trials" }).count()).toBe(1);
    });

    it("sent no request anywhere but the service, and logged no errors or warnings", () => {
      expect(network.foreign).toEqual([]);
      expect(consoleProblems).toEqual([]);
    });
  },
);
