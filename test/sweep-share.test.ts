// Sharing a sweep end to end: a real sweep on real MNIST, exported with the CLI, imported on a second service
// (PostgreSQL when TEST_DATABASE_URL is set) with the same leaderboard, and its HTML report opened in Chromium
// from a file:// path with the network off: the leaderboard and one figure per plot kind, and not one request.
/// <reference lib="dom" />
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createClient, PLOT_KINDS, type Sweep, type SweepExport } from "@sweeplab/sdk";
import { createPostgresDatabase, TEST_DATABASE_URL, type TestDatabase } from "@sweeplab/server/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, guardNetwork, launchChromium, logIn, type NetworkLog, shoot } from "./support/browser.ts";
import { runCli as sweeplab } from "./support/processes.ts";
import { startTestServer } from "./support/server.ts";

const TOKEN = "share-token";
/** The plot kinds every sweep draws; a kind added later may need more (several objectives) and explain instead. */
const ALWAYS_DRAWN: readonly string[] = [
  "parallel-coordinates",
  "metric-by-parameter",
  "best-so-far",
  "validation-curves",
  "importance",
];
const auth = ["--token", TOKEN];

describe("sharing a sweep: export, import elsewhere, and an offline HTML report", () => {
  let source: Awaited<ReturnType<typeof startTestServer>>;
  let target: Awaited<ReturnType<typeof startTestServer>>;
  let targetDb: TestDatabase | undefined;
  let original: Sweep;
  const files = mkdtempSync(join(tmpdir(), "sweeplab-share-"));

  beforeAll(async () => {
    source = await startTestServer({ SWEEPLAB_TOKEN: TOKEN, SWEEPLAB_POLL_MS: "100" });
    targetDb = TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
    // The second service trains nothing: an imported sweep must never need a worker.
    target = await startTestServer({
      SWEEPLAB_TOKEN: TOKEN,
      WORKERS: "0",
      ...(targetDb ? { DATABASE_URL: targetDb.url } : {}),
    });
    const sdk = createClient({ baseUrl: source.url, token: TOKEN });
    const started = await sdk.sweeps.create({
      name: "shared",
      preset: "seed-mlp",
      trials: 2,
      repeats: 2,
      parallelism: 2,
      seed: 3,
      base: { steps: 40 },
    });
    original = await sdk.sweeps.wait(started.id);
    expect(original.status).toBe("succeeded");
  });

  afterAll(async () => {
    await source?.close();
    await target?.close();
    await targetDb?.drop();
  });

  it("exports with the CLI, imports on a second service, and shows the same leaderboard", async () => {
    const file = join(files, "shared.sweep.json");
    const exported = await sweeplab([
      "--host",
      source.url,
      ...auth,
      "sweep",
      "export",
      original.id,
      "-o",
      file,
    ]);
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(`wrote ${file}: sweep ${original.id}, 2 trials, 4 runs\n`);
    const content = JSON.parse(readFileSync(file, "utf8")) as SweepExport;
    expect(content).toMatchObject({ format: "sweeplab.sweep-export", version: 1 });
    expect(JSON.stringify(content)).not.toMatch(/weights|checkpoint"/i);

    const imported = await sweeplab(["--host", target.url, ...auth, "sweep", "import", file, "--json"]);
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    const { id, runIds } = JSON.parse(imported.stdout) as { id: string; runIds: Record<string, string> };
    const shown = await sweeplab(["--host", target.url, ...auth, "sweep", "show", id, "--json"]);
    const copy = JSON.parse(shown.stdout) as Sweep;
    expect(copy.leaderboard.length).toBe(2);
    expect(copy.leaderboard).toEqual(
      original.leaderboard.map((e) => ({ ...e, trialIds: e.trialIds.map((r) => runIds[String(r)]) })),
    );
    expect(copy).toMatchObject({ status: "succeeded", best: original.best });
    // Read-only: nothing queued on the second service, which has no worker to train it.
    const status = await createClient({ baseUrl: target.url, token: TOKEN }).status();
    expect(status.queueDepth).toBe(0);
    expect(status.runsByStatus).toMatchObject({ succeeded: 4 });
  });

  it("refuses a broken file, a missing file and an unknown sweep with one line and its exit code", async () => {
    const broken = join(files, "broken.sweep.json");
    writeFileSync(broken, JSON.stringify({ format: "sweeplab.sweep-export", version: 2 }));
    const refused = await sweeplab(["--host", target.url, ...auth, "sweep", "import", broken]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^VALIDATION_FAILED: request body is invalid: .*version 1.*\n$/);
    const missing = await sweeplab([
      "--host",
      target.url,
      ...auth,
      "sweep",
      "import",
      join(files, "nope.json"),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^USAGE: cannot read .*nope\.json: ENOENT\n$/);
    const unknown = await sweeplab(["--host", source.url, ...auth, "sweep", "export", "swp_nope"]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/^SWEEP_NOT_FOUND: no sweep swp_nope/);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    "writes a report that opens from disk offline: the leaderboard, one figure per plot kind, no request",
    async () => {
      const file = join(files, "report.html");
      const written = await sweeplab([
        "--host",
        source.url,
        ...auth,
        "sweep",
        "report",
        original.id,
        "-o",
        file,
      ]);
      expect(written.code).toBe(0);
      expect(written.stdout).toBe(`wrote ${file}\n`);

      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.setOffline(true);
        const url = pathToFileURL(file).href;
        // The report file itself is let through; any other request is refused and written down.
        const attempted: string[] = [];
        await context.route("**", (route) => {
          if (route.request().url() === url) return route.continue();
          attempted.push(route.request().url());
          return route.abort();
        });
        const page = await context.newPage();
        page.on("request", (request) => {
          if (request.url() !== url) attempted.push(request.url());
        });
        const problems: string[] = [];
        page.on("console", (m) => problems.push(m.text()));
        page.on("pageerror", (e) => problems.push(e.message));
        await page.goto(url);

        await page.getByRole("heading", { name: "Leaderboard" }).waitFor();
        const rows = page.locator("#leaderboard tbody tr");
        expect(await rows.count()).toBe(original.leaderboard.length);
        const firstMean = original.leaderboard[0]!.mean!;
        expect(await rows.first().locator("td").first().textContent()).toBe("1");
        expect(await rows.first().textContent()).toContain(firstMean.toPrecision(4));
        const figures = page.locator("figure.plot");
        expect(await figures.evaluateAll((f) => f.map((e) => e.getAttribute("data-plot-kind")))).toEqual([
          ...PLOT_KINDS,
        ]);
        for (const kind of PLOT_KINDS) {
          const svg = page.locator(`figure[data-plot-kind="${kind}"] svg`);
          if (!ALWAYS_DRAWN.includes(kind) && (await svg.count()) === 0) {
            // A kind this sweep cannot draw (one for several objectives, say) says why in its figure.
            expect(await page.locator(`figure[data-plot-kind="${kind}"] p`).textContent()).toMatch(
              /could not/,
            );
            continue;
          }
          const box = await svg.boundingBox();
          expect(box?.width, kind).toBeGreaterThan(100);
          expect(box?.height, kind).toBeGreaterThan(100);
          expect(await svg.locator("path, line, rect, text").count(), kind).toBeGreaterThan(5);
        }
        await shoot(page, "sweep-report-offline");
        expect(attempted).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );

  it.skipIf(!existsSync(CHROMIUM))(
    "the dashboard's sweep page links to the export and the report",
    async () => {
      const browser = await launchChromium();
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const network: NetworkLog = { served: 0, foreign: [] };
        await guardNetwork(context, source.url, network);
        const page = await context.newPage();
        page.setDefaultTimeout(60_000);
        await logIn(page, source.url, TOKEN);
        await page.getByRole("link", { name: "Sweeps", exact: true }).click();
        await page.getByRole("link", { name: "shared" }).first().click();
        await page.getByRole("link", { name: "Export" }).waitFor();
        const [exportDownload] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: "Export" }).click(),
        ]);
        expect(exportDownload.suggestedFilename()).toBe(`${original.id}.sweep.json`);
        const exported = JSON.parse(readFileSync(await exportDownload.path(), "utf8")) as SweepExport;
        expect(exported.sweep.id).toBe(original.id);
        const [reportDownload] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("link", { name: "Report" }).click(),
        ]);
        const html = readFileSync(await reportDownload.path(), "utf8");
        expect(html.match(/<figure class="plot[^"]*" data-plot-kind=/g)?.length).toBe(PLOT_KINDS.length);
        expect(network.foreign).toEqual([]);
      } finally {
        await browser.close();
      }
    },
  );
});
