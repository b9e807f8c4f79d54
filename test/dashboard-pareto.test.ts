// A multi-objective sweep's page in a real Chromium against the real service and its worker, on real MNIST: the
// Pareto front (its table and the service's `pareto` plot) and the leaderboard's front marks, as the API reports them.
/// <reference lib="dom" />
import { existsSync } from "node:fs";
import { createClient, type Sweep } from "@sweeplab/sdk";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, type NetworkLog, openDashboard, shoot } from "./support/browser.ts";
import { startTestServer } from "./support/server.ts";

const TOKEN = "dashboard-pareto-token";
/** The scatter's points: vega draws each symbol of the points layer as a path in a `mark-symbol` group. */
const POINTS = '[data-testid="plot-pareto"] g.mark-symbol.role-mark path';

describe.skipIf(!existsSync(CHROMIUM))("a multi-objective sweep's page in Chromium", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let page: Page;
  let sweep: Sweep;
  const network: NetworkLog = { served: 0, foreign: [] };
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ SWEEPLAB_TOKEN: TOKEN, SWEEPLAB_POLL_MS: "100" });
    const sdk = createClient({ baseUrl: server.url, token: TOKEN });
    // Three widths on a grid, each trained briefly: accuracy against time per step.
    const created = await sdk.sweeps.create({
      name: "pareto-browser",
      method: "grid",
      space: {
        parameters: [{ name: "width", path: "model.width", type: "categorical", values: [16, 64, 256] }],
      },
      base: { steps: 40, evalEverySteps: 40, validationSize: 500, model: { kind: "mlp" } },
      objectives: [
        { metric: "validationAccuracy", direction: "maximize" },
        { metric: "parameterCount", direction: "minimize" },
      ],
      parallelism: 1,
      repeats: "auto",
      maxRepeats: 2,
    } as Parameters<typeof sdk.sweeps.create>[0]);
    sweep = await sdk.sweeps.wait(created.id);
    ({ browser, page } = await openDashboard(server.url, TOKEN, { network, consoleProblems }));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the front the API reports, its plot with every config, and marks front members in the leaderboard", async () => {
    expect(sweep.status).toBe("succeeded");
    const pareto = sweep.pareto!;
    expect(pareto.configsScored).toBe(3);
    // The fewest parameters cannot be beaten on that objective (it has no seed noise): width 16 is on the front.
    expect(pareto.front.map((m) => m.params.width)).toContain(16);
    await page.goto(`${server.url}/sweeps/${sweep.id}`);
    await page.getByRole("heading", { name: "Pareto front" }).waitFor();
    const rows = page.locator('[data-testid="pareto-front"] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-key")))).toEqual(
      pareto.front.map((m) => m.key),
    );
    // Plots are asked for as they near the viewport.
    await page.getByTestId("plot-pareto").scrollIntoViewIfNeeded();
    await page.locator(POINTS).first().waitFor();
    expect(await page.locator(POINTS).count()).toBe(pareto.configsScored);
    expect(await page.locator('[data-testid="plot-pareto"] svg').getAttribute("aria-label")).toBe(
      "Pareto front",
    );
    const board = page.locator('[data-testid="leaderboard"] tbody tr');
    for (const [i, entry] of sweep.leaderboard.entries())
      expect(await board.nth(i).getAttribute("data-on-front")).toBe(String(entry.onFront));
    expect(await page.locator('[data-testid="leaderboard"] .front-mark').count()).toBe(pareto.front.length);
    // Adaptive repeats: progress over the runs racing asked for (not configs x maxRepeats).
    expect(await page.getByTestId("sweep-progress").textContent()).toBe(
      `${sweep.trialRuns.length} / ${sweep.trialRuns.length}`,
    );
    await shoot(page, "sweep-pareto");
  });

  it("starts a multi-objective sweep with adaptive repeats and a budget from the new-sweep form", async () => {
    const sdk = createClient({ baseUrl: server.url, token: TOKEN });
    await page.getByRole("link", { name: "New sweep" }).first().click();
    await page.getByRole("heading", { name: "New sweep" }).waitFor();
    await page.fill('input[name="name"]', "pareto-form");
    await page.selectOption('select[name="method"]', "motpe");
    await page.fill('input[name="trials"]', "4");
    await page.fill('input[name="base.steps"]', "20");
    await page.fill('input[name="base.evalEverySteps"]', "20");
    await page.fill('input[name="base.validationSize"]', "500");
    await page.selectOption('select[name="repeats.kind"]', "auto");
    expect(await page.locator('input[name="repeats"]').count()).toBe(0);
    await page.fill('input[name="maxRepeats"]', "2");
    // An objective added and left unset is an error the form names before anything is sent.
    await page.getByRole("button", { name: "Add objective" }).click();
    await page.getByText("2 field(s) to fix").waitFor();
    await page.selectOption('select[name="objectives.0.metric"]', "validationAccuracy");
    await page.selectOption('select[name="objectives.0.direction"]', "maximize");
    await page.getByRole("button", { name: "Add objective" }).click();
    await page.selectOption('select[name="objectives.1.metric"]', "msPerStep");
    await page.selectOption('select[name="objectives.1.direction"]', "minimize");
    await page.fill('input[name="budget.maxTrials"]', "3");
    await page.fill('input[name="budget.wallClockSeconds"]', "600");
    await shoot(page, "new-sweep-objectives");
    await page.getByRole("button", { name: "Start sweep" }).click();
    await page.waitForURL(/\/sweeps\/swp_/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1)!);
    const created = await sdk.sweeps.get(id);
    await sdk.sweeps.cancel(id);
    expect(created).toMatchObject({
      name: "pareto-form",
      method: "motpe",
      adaptiveRepeats: true,
      repeats: 2,
      objectives: [
        { metric: "validationAccuracy", direction: "maximize" },
        { metric: "msPerStep", direction: "minimize" },
      ],
      budget: { maxTrials: 3, wallClockSeconds: 600 },
    });
  });

  it("sent no request anywhere but the service, and logged no errors or warnings", () => {
    expect(network.foreign).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
