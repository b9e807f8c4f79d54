// The dashboard's sweep pages in a real Chromium against the real service and its worker, on real MNIST: a sweep
// started from the form, its leaderboard and plots following it live, the sweeps list, and the status page.
/// <reference lib="dom" />
import { existsSync } from "node:fs";
import { createClient, type Sweep } from "@sweeplab/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM,
  expectMaximumEnforced,
  guardNetwork,
  type NetworkLog,
  openDashboard,
  shoot,
  watchConsole,
} from "./support/browser.ts";
import { loadOpenApi, startTestServer } from "./support/server.ts";

const TOKEN = "dashboard-sweeps-token";
const TRIALS = 3;
/** The parallel-coordinates lines drawn: vega draws one path per trial with a result. */
const PARALLEL_LINES = '[data-testid="plot-parallel-coordinates"] g.mark-line path';
const percent = (value: number) => `${(value * 100).toFixed(2)} %`;

describe.skipIf(!existsSync(CHROMIUM))("the dashboard's sweep pages in Chromium", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sdk: ReturnType<typeof createClient>;
  const network: NetworkLog = { served: 0, foreign: [] };
  const consoleProblems: string[] = [];
  let sweepId = "";
  let finished: Sweep;

  beforeAll(async () => {
    // One worker (the default), polling fast so trials follow each other without idle gaps.
    server = await startTestServer({ SWEEPLAB_TOKEN: TOKEN, SWEEPLAB_POLL_MS: "100" });
    sdk = createClient({ baseUrl: server.url, token: TOKEN });
    ({ browser, context, page } = await openDashboard(server.url, TOKEN, { network, consoleProblems }));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("tells a new user what to run when there is no sweep", async () => {
    await page.getByRole("link", { name: "Sweeps", exact: true }).click();
    await page.getByRole("heading", { name: "No sweeps yet" }).waitFor();
    expect(await page.locator(".empty pre").textContent()).toContain(
      "sweeplab sweep --preset seed-mlp --trials 10 --steps 1000",
    );
  });

  it("builds the sweep form from the API schema (presets, defaults, bounds) and starts a small sweep", async () => {
    const doc = await loadOpenApi(server.url, TOKEN);
    const create = doc.components.schemas.SweepCreate!.properties;
    await page.getByRole("link", { name: "New sweep" }).first().click();
    await page.getByRole("heading", { name: "New sweep" }).waitFor();
    const presets = await page.locator('select[name="preset"] option').allTextContents();
    expect(presets).toEqual(["(not set)", ...create.preset!.enum!]);
    expect(await page.inputValue('input[name="parallelism"]')).toBe(String(create.parallelism!.default));
    expect(await page.inputValue('input[name="repeats"]')).toBe(String(create.repeats!.default));
    await expectMaximumEnforced(page, "trials", create.trials!.maximum!, "Start sweep");
    await page.selectOption('select[name="preset"]', "");
    await page.getByText("a sweep without a preset needs a space").waitFor();
    await shoot(page, "new-sweep");

    await page.fill('input[name="name"]', "browser-sweep");
    await page.selectOption('select[name="preset"]', "seed-mlp");
    await page.fill('input[name="trials"]', String(TRIALS));
    await page.fill('input[name="base.steps"]', "60");
    await page.fill('input[name="base.evalEverySteps"]', "20");
    await page.fill('input[name="base.validationSize"]', "500");
    await page.getByRole("button", { name: "Start sweep" }).click();
    await page.waitForURL(/\/sweeps\/swp_/);
    sweepId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1)!);
    const sweep = await sdk.sweeps.get(sweepId);
    expect(sweep).toMatchObject({
      name: "browser-sweep",
      preset: "seed-mlp",
      trials: TRIALS,
      method: "random",
    });
    expect(sweep.base).toMatchObject({ steps: 60, evalEverySteps: 20, validationSize: 500 });
  });

  it("follows the sweep live: progress and parallel-coordinates lines grow over its event stream", async () => {
    const progress: string[] = [];
    const lines: number[] = [];
    // Once drawn, a plot is replaced in place when the next version arrives: its box never goes blank.
    let drawn = false;
    let blanked = false;
    const deadline = Date.now() + 150_000;
    // Plots are asked for as they near the viewport: the parallel coordinates are brought into view.
    await page.getByTestId("plot-parallel-coordinates").scrollIntoViewIfNeeded();
    for (;;) {
      const [text, count, status, hasSvg] = await page.evaluate((sel) => {
        return [
          document.querySelector('[data-testid="sweep-progress"]')?.textContent ?? "",
          document.querySelectorAll(sel).length,
          document.querySelector("h1 .badge")?.textContent ?? "",
          Boolean(document.querySelector('[data-testid="plot-best-so-far"] svg')),
        ] as const;
      }, PARALLEL_LINES);
      if (progress.at(-1) !== text) progress.push(text);
      if (lines.at(-1) !== count) lines.push(count);
      if (drawn && !hasSvg) blanked = true;
      drawn ||= hasSvg;
      if ((status !== "running" && text === `${TRIALS} / ${TRIALS}` && count > 0) || Date.now() > deadline)
        break;
      await page.waitForTimeout(100);
    }
    finished = await sdk.sweeps.get(sweepId);
    expect(finished.status).toBe("succeeded");
    expect(progress.at(-1)).toBe(`${TRIALS} / ${TRIALS}`);
    // Seen before the end, without a reload: the page follows the sweep's events.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(blanked).toBe(false);
    const scored = finished.trialRuns.filter((t) => t.value !== null).length;
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel as string).length === n, [
      PARALLEL_LINES,
      scored,
    ] as const);
    expect(scored).toBeGreaterThanOrEqual(2);
  });

  it("shows the leaderboard as the API ranks it, the best config, and every plot", async () => {
    const rows = page.locator('[data-testid="leaderboard"] tbody tr');
    await expect(rows.count()).resolves.toBe(finished.leaderboard.length);
    for (const [i, entry] of finished.leaderboard.entries()) {
      const row = rows.nth(i);
      expect(await row.getAttribute("data-rank")).toBe(String(entry.rank));
      expect(await row.getAttribute("data-within-noise")).toBe(String(entry.withinNoise));
      expect(await row.getByTestId("metric").textContent()).toContain(
        entry.mean === null ? "–" : percent(entry.mean),
      );
      // Each repeat's run links to its page.
      const links = await row
        .locator('a[href^="/runs/"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      expect(links).toEqual(entry.trialIds.map((id) => `/runs/${id}`));
    }
    expect(await rows.first().getAttribute("class")).toBe("within-noise");
    expect(await page.getByTestId("best-config").textContent()).toContain(percent(finished.best!.mean!));
    for (const kind of ["best-so-far", "importance", "validation-curves", "metric-by-parameter"]) {
      await page.getByTestId(`plot-${kind}`).scrollIntoViewIfNeeded();
      await page.locator(`[data-testid="plot-${kind}"] svg`).waitFor();
    }
    // All trials' validation curves: one line per trial with evaluations. The page shows the plot it has while the
    // service draws the sweep's final one (on its plot thread, behind the others), so the count is waited for.
    const succeeded = finished.trialRuns.filter((t) => t.status === "succeeded").length;
    await expect
      .poll(() => page.locator('[data-testid="plot-validation-curves"] g.mark-line path').count(), {
        timeout: 30_000,
      })
      .toBe(succeeded);
    await shoot(page, "sweep");
  });

  it("opens a trial's run page from the leaderboard, and the sweep's runs in the runs table", async () => {
    const first = finished.leaderboard[0]!.trialIds[0]!;
    await page.locator(`[data-testid="leaderboard"] a[href="/runs/${first}"]`).click();
    await page.waitForURL(`**/runs/${first}`);
    await page.getByTestId("test-accuracy").filter({ hasText: "%" }).waitFor();
    await page.goBack();
    await page.getByRole("link", { name: "Its runs" }).click();
    await page.getByTestId("sweep-filter").waitFor();
    // The runs table fills once its filtered page is in: poll rather than read the first frame.
    await expect
      .poll(async () =>
        (
          await page
            .locator("tr[data-run-id]")
            .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-run-id")))
        ).sort(),
      )
      .toEqual(finished.trialRuns.map((t) => t.runId).sort());
    await page.getByTestId("sweep-filter").getByRole("link", { name: sweepId }).click();
    await page.waitForURL(`**/sweeps/${sweepId}`);
  });

  it("lists the sweep with its status, trials done and best metric as the API reports them", async () => {
    await page.getByRole("link", { name: "Sweeps", exact: true }).click();
    const row = page.locator(`tr[data-sweep-id="${sweepId}"]`);
    await row.waitFor();
    const [summary] = (await sdk.sweeps.list()).items;
    expect(summary!.bestMean).toBe(finished.best!.mean);
    expect(await row.getAttribute("data-status")).toBe("succeeded");
    expect(await row.getByTestId("trials-done").textContent()).toBe(`${TRIALS}/${TRIALS}`);
    expect(await row.getByTestId("best-metric").textContent()).toContain(percent(summary!.bestMean!));
    await shoot(page, "sweeps");
  });

  it("shows each worker's host, pid, state, backend and heartbeat age on the status page", async () => {
    await page.getByRole("link", { name: "Status" }).click();
    const status = await sdk.status();
    const worker = status.workers[0]!;
    const row = page.locator(`[data-testid="workers"] tr[data-worker-id="${worker.id}"]`);
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    expect(cells.slice(0, 4)).toEqual([worker.id, worker.host, String(worker.pid), "idle"]);
    expect(cells[4]).toContain(worker.backend!.name);
    expect(cells[6]).toMatch(/ s ago$/);
    expect(await page.getByTestId("queue-depth").textContent()).toBe("0");
  });

  it("updates the sweeps list live, and cancels a running sweep from its page", async () => {
    const long = { preset: "seed-mlp", trials: 20, parallelism: 1 } as const;
    const base = { steps: 2000, evalEverySteps: 500, validationSize: 500 };
    const [a, b] = await Promise.all(
      ["cancel-by-api", "cancel-in-page"].map((name) => sdk.sweeps.create({ ...long, name, base })),
    );
    await page.getByRole("link", { name: "Sweeps", exact: true }).click();
    await page.locator(`tr[data-sweep-id="${a!.id}"][data-status="running"]`).waitFor();
    // Canceled elsewhere (here, through the SDK): the row changes in place, without a reload.
    await sdk.sweeps.cancel(a!.id);
    await page.locator(`tr[data-sweep-id="${a!.id}"][data-status="canceled"]`).waitFor();

    await page.getByRole("link", { name: "cancel-in-page" }).click();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Cancel sweep" }).click();
    await page.locator("h1 .badge", { hasText: "canceled" }).waitFor();
    expect(await page.getByRole("button", { name: "Cancel sweep" }).count()).toBe(0);
    const canceled = await sdk.sweeps.get(b!.id);
    expect(canceled.status).toBe("canceled");
    expect(canceled.trialRuns.length).toBeLessThan(long.trials);
  });

  it("reads well in dark mode at phone width, the plots scrolling inside their column", async () => {
    const phone = await browser.newContext({
      storageState: await context.storageState(),
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
      isMobile: true,
      hasTouch: true,
    });
    await guardNetwork(phone, server.url, network);
    const mobile = await phone.newPage();
    watchConsole(mobile, consoleProblems);
    await mobile.goto(`${server.url}/sweeps/${sweepId}`);
    await mobile.locator(PARALLEL_LINES).first().waitFor();
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(mobile, "sweep-dark-phone");
    await phone.close();
  });

  it("sent no request anywhere but the service, and logged no errors or warnings", () => {
    expect(network.served).toBeGreaterThan(20);
    expect(network.foreign).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
