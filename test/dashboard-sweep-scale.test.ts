// The sweep page at 10,000 trials in a real Chromium: the fixture sweep (written straight into the store, no
// worker) shows its whole leaderboard and every trial run through windowed tables: the row counts are the API's,
// yet only a window of rows is ever in the page, and scrolling brings the right rows in.
/// <reference lib="dom" />
import { existsSync } from "node:fs";
import { createClient } from "@sweeplab/sdk";
import { insertLargeSweep } from "@sweeplab/server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, type NetworkLog, openDashboard } from "./support/browser.ts";
import { startTestServer } from "./support/server.ts";

const TOKEN = "dashboard-scale-token";
const TRIALS = 10_000;
const SWEEP = "swp_fixture_10k";
/** Rows the windowed tables may hold at once: a screenful and its overscan, far below the sweep's size. */
const MAX_ROWS_IN_DOM = 60;

describe.skipIf(!existsSync(CHROMIUM))("the sweep page at 10,000 trials in Chromium", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let page: Page;
  let sdk: ReturnType<typeof createClient>;
  const network: NetworkLog = { served: 0, foreign: [] };
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ SWEEPLAB_TOKEN: TOKEN, WORKERS: "0" });
    await insertLargeSweep(server.deps.store, { id: SWEEP, trials: TRIALS, evals: 20, active: 16 });
    sdk = createClient({ baseUrl: server.url, token: TOKEN });
    ({ browser, page } = await openDashboard(server.url, TOKEN, { network, consoleProblems }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const rowsIn = (testId: string, selector: string) =>
    page.locator(`[data-testid="${testId}"] tbody tr${selector}`).count();

  it("shows the whole leaderboard's size and its best rows, with only a window of rows in the page", async () => {
    const asked: string[] = [];
    const record = (request: { url(): string }) => {
      const { pathname, search } = new URL(request.url());
      asked.push(pathname + search);
    };
    page.on("request", record);
    const stream = page.waitForRequest((r) => r.url().includes(`/v1/sweeps/${SWEEP}/events`));
    await page.goto(`${server.url}/sweeps/${SWEEP}`);
    await page.locator('[data-testid="leaderboard"] tr[data-rank="1"]').waitFor();
    // The first page is asked for once, beside the sweep; the live stream comes without its 10,000-event snapshot.
    expect(new URL((await stream).url()).search).toBe("?snapshot=false");
    page.off("request", record);
    expect(asked.filter((u) => u.startsWith(`/v1/sweeps/${SWEEP}/leaderboard?offset=0&`))).toHaveLength(1);
    expect(asked.filter((u) => u.startsWith(`/v1/sweeps/${SWEEP}?`))).toHaveLength(1);
    // Both were asked for by the entry module, before the app's code (React and the pages) began to run.
    const started = await page.evaluate((sweep) => {
      const read = (prefix: string) =>
        performance.getEntriesByType("resource").find((e) => {
          const url = new URL(e.name);
          return (url.pathname + url.search).startsWith(prefix);
        })?.startTime;
      return {
        sweep: read(`/v1/sweeps/${sweep}?`),
        leaderboard: read(`/v1/sweeps/${sweep}/leaderboard?offset=0&`),
        app: performance.getEntriesByName("sweeplab:app")[0]?.startTime,
      };
    }, SWEEP);
    expect(started.app).toBeGreaterThan(0);
    expect(started.sweep).toBeLessThan(started.app!);
    expect(started.leaderboard).toBeLessThan(started.app!);
    const { entries, total } = await sdk.sweeps.leaderboard(SWEEP, { limit: 5 });
    expect(total).toBe(TRIALS);
    expect(await page.getByTestId("leaderboard-window").getAttribute("data-total")).toBe(String(TRIALS));
    expect(await page.getByTestId("sweep-progress").textContent()).toBe(`${TRIALS - 16} / ${TRIALS}`);
    const ranks = await page
      .locator('[data-testid="leaderboard"] tr[data-rank]')
      .evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute("data-rank"))));
    expect(ranks.slice(0, 5)).toEqual(entries.map((e) => e.rank));
    expect(ranks.length).toBeGreaterThan(5);
    expect(ranks.length).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
    const means = await page
      .locator('[data-testid="leaderboard"] tr[data-rank]')
      .evaluateAll((trs) => trs.slice(0, 5).map((tr) => tr.getAttribute("data-mean")));
    expect(means).toEqual(entries.map((e) => String(e.mean ?? "")));
    // The table's height is the whole leaderboard's: the spacer rows stand for the rows not in the page.
    const scrollHeight = await page.getByTestId("leaderboard-window").evaluate((el) => el.scrollHeight);
    expect(scrollHeight).toBeGreaterThan(TRIALS * 30);
  });

  it("asks for the plots below the fold only when scrolled towards them", async () => {
    const plots: string[] = [];
    const record = (request: { url(): string }) => {
      if (request.url().includes("/plots/")) plots.push(new URL(request.url()).pathname);
    };
    page.on("request", record);
    try {
      await page.goto(`${server.url}/sweeps/${SWEEP}`);
      await page.locator('[data-testid="trials"] tr[data-run-id]').first().waitFor();
      // The tables are drawn and the stream is open: a page that asked for its plots has asked by now.
      await page.waitForTimeout(1500);
      expect(plots).toEqual([]);
      const asked = page.waitForRequest((r) => r.url().includes("/plots/parallel-coordinates"));
      await page.getByTestId("plot-parallel-coordinates").scrollIntoViewIfNeeded();
      await asked;
    } finally {
      page.off("request", record);
    }
  });

  it("brings the last rows in when scrolled to the end, and still holds only a window", async () => {
    await page.getByTestId("leaderboard-window").evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator(`[data-testid="leaderboard"] tr[data-rank="${TRIALS}"]`).waitFor();
    const { entries } = await sdk.sweeps.leaderboard(SWEEP, { offset: TRIALS - 1, limit: 1 });
    expect(
      await page.locator(`[data-testid="leaderboard"] tr[data-rank="${TRIALS}"]`).getAttribute("data-mean"),
    ).toBe(String(entries[0]!.mean ?? ""));
    expect(await rowsIn("leaderboard", "[data-rank]")).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
    expect(await rowsIn("leaderboard", "[data-rank='1']")).toBe(0);
  });

  it("lists every trial run the same way: trial 5,000's row appears when scrolled to", async () => {
    const window = page.getByTestId("trials-window");
    expect(await window.getAttribute("data-total")).toBe(String(TRIALS));
    await page.locator('[data-testid="trials"] tr[data-run-id]').first().waitFor();
    expect(await rowsIn("trials", "[data-run-id]")).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
    await window.evaluate((el) => el.scrollTo(0, (el.scrollHeight * 5000) / 10_000));
    const { items } = await sdk.sweeps.trials(SWEEP, { offset: 5000, limit: 1 });
    await page.locator(`[data-testid="trials"] tr[data-run-id="${items[0]!.runId}"]`).waitFor();
    expect(await rowsIn("trials", "[data-run-id]")).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
    expect(network.foreign).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
