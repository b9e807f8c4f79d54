// `cd test && npx tsx scripts/bench-sweep-scale.ts`: the sweep views at 10,000 trials. Writes the fixture sweep
// (10,000 trials x 20 evaluations, 16 still queued so it stays running; packages/server/src/test-support/
// large-sweep.ts) into a fresh store, starts the service as its own process (no worker), opens BENCH_STREAMS (5)
// event streams on the sweep from a second process, then measures, with the streams open:
//   - the leaderboard API: GET /v1/sweeps/{id}/leaderboard?limit=100, GET /v1/sweeps/{id}?leaderboardLimit=100&
//     trialRunsLimit=100 and GET /v1/sweeps, BENCH_REQUESTS (200) each, one at a time, while one queued trial is
//     canceled every second (each a change the state reads incrementally): p50, p95, max;
//   - the sweep page's first render in Chromium (/usr/bin/chromium): from navigation to the leaderboard's first row
//     and the trial table's first row drawn, BENCH_PAGES (20) fresh pages of one browser context: p50, p95, max,
//     and the first of them apart (the browser's cache cold);
//   - the sweep's five plots drawn for the first time, all asked for at once, and meanwhile /healthz then the
//     leaderboard's first page, one after the other: how long other requests wait while plots are drawn;
//   - the full report (every run and evaluation read, the leaderboard built: what each request and each stream's
//     poll did before the incremental state), built 3 times in this process;
//   - the API process's RSS (VmRSS), sampled every 100 ms: idle, with the streams open, its peak while the requests
//     are measured (the streams open), its peak while the pages load (each page opens one more stream), and at the end.
// BENCH_DATABASE_URL=postgres://… (an admin URL: a fresh database is created and dropped) runs it on PostgreSQL;
// SQLite otherwise. BENCH_TRACE=1 logs each page's first-render time and resource timings (where it spends its time);
// SWEEPLAB_LOG_LEVEL=info has the service log each request with its duration (stderr), to match them up.
// Prints one JSON line.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSweepReport, insertLargeSweep, openStore } from "@sweeplab/server";
import { createPostgresDatabase } from "@sweeplab/server/test-support";
import { chromium } from "playwright-core";
import { CHROMIUM } from "../support/browser.ts";

const SWEEP = "swp_fixture_10k";
const TRIALS = Number(process.env.BENCH_TRIALS ?? 10_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const PAGES = Number(process.env.BENCH_PAGES ?? 20);
const TOKEN = "bench-token";
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (ms: number) => Math.round(ms * 10) / 10;
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1)!),
  };
};
const rssMb = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024);
const auth = { Authorization: `Bearer ${TOKEN}` };
/** The plots the sweep page shows. */
const PAGE_PLOTS = [
  "parallel-coordinates",
  "best-so-far",
  "importance",
  "validation-curves",
  "metric-by-parameter",
];

/** Holds the streams (run as a second process, so their traffic never sits in this process's timings). */
async function holdStreams(url: string): Promise<never> {
  const counts = { events: 0 };
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      const res = await fetch(`${url}/v1/sweeps/${SWEEP}/events`, { headers: auth });
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let seen = 0;
      let ready = false;
      // An event's name may be split between two chunks: the end of the previous chunk is searched again.
      let carry = "";
      return new Promise<void>((resolve) => {
        const pump = async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            const text = carry + decoder.decode(value, { stream: true });
            const n = text.split("event: trial").length - 1;
            // Shorter than the name: a name counted here is never counted again.
            carry = text.slice(-11);
            seen += n;
            counts.events += n;
            if (!ready && seen >= TRIALS) {
              ready = true;
              resolve();
            }
          }
        };
        void pump();
      });
    }),
  );
  process.stdout.write(`ready ${JSON.stringify(counts)}\n`);
  process.on("SIGTERM", () =>
    process.stdout.write(`done ${JSON.stringify(counts)}\n`, () => process.exit(0)),
  );
  // Held until told to stop (an ended stream would otherwise let the process end unnoticed).
  setInterval(() => {}, 60_000);
  return new Promise(() => {});
}

if (process.env.BENCH_HOLD_STREAMS) await holdStreams(process.env.BENCH_HOLD_STREAMS);

const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-bench-scale-"));
const postgres = process.env.BENCH_DATABASE_URL
  ? await createPostgresDatabase(process.env.BENCH_DATABASE_URL)
  : null;
const databaseUrl = postgres?.url ?? `file:${join(dataDir, "store.sqlite")}`;
const fixtureStarted = performance.now();
const store = await openStore(databaseUrl);
const { runIds } = await insertLargeSweep(store, { id: SWEEP, trials: TRIALS, evals: 20, active: 16 });
await store.close();
const fixtureSeconds = (performance.now() - fixtureStarted) / 1000;
// What every sweep request and every stream's poll cost before the incremental state: the full report.
const fullReportMs: number[] = [];
{
  const reader = await openStore(databaseUrl);
  const sweep = (await reader.getSweep(SWEEP))!;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await buildSweepReport(reader, sweep);
    fullReportMs.push(performance.now() - started);
  }
  await reader.close();
}
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
log(
  `fixture written in ${fixtureSeconds.toFixed(1)} s (${databaseUrl.startsWith("file:") ? "sqlite" : "postgres"})`,
);

const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
  cwd: join(root, "packages/server"),
  env: {
    ...process.env,
    PORT: "0",
    HOST: "127.0.0.1",
    WORKERS: "0",
    SWEEPLAB_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SWEEPLAB_TOKEN: TOKEN,
    SWEEPLAB_LOG_LEVEL: process.env.SWEEPLAB_LOG_LEVEL ?? "warn",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
let holder: ReturnType<typeof spawn> | undefined;
try {
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    server.stdout!.on("data", (d: Buffer) => {
      output += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    server.on("exit", (code) => reject(new Error(`service exited (${code}): ${output}`)));
  });
  const pid = server.pid!;
  let peakRss = rssMb(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(pid));
  }, 100);
  const rssIdle = rssMb(pid);

  const timed = async (path: string) => {
    const started = performance.now();
    const res = await fetch(`${url}${path}`, { headers: auth });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    await res.arrayBuffer();
    return performance.now() - started;
  };
  // The first request builds the sweep's state from the store (every run read once).
  const coldMs = round(await timed(`/v1/sweeps/${SWEEP}/leaderboard?limit=100`));
  // The sweep's five plots drawn for the first time, all asked for at once (as a page opening asks), while
  // /healthz and the leaderboard's first page are asked for one after the other until they are drawn.
  const plotsStarted = performance.now();
  let drawn = false;
  const plots = Promise.all(
    PAGE_PLOTS.map((kind) => timed(`/v1/sweeps/${SWEEP}/plots/${kind}?format=svg`)),
  ).finally(() => {
    drawn = true;
  });
  const whilePlotsDraw: number[] = [];
  while (!drawn) {
    const started = performance.now();
    await timed("/healthz");
    await timed(`/v1/sweeps/${SWEEP}/leaderboard?limit=100`);
    whilePlotsDraw.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await plots;
  const plotsFirstDrawMs = round(performance.now() - plotsStarted);

  const opening = performance.now();
  holder = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    cwd: join(root, "test"),
    env: { ...process.env, BENCH_HOLD_STREAMS: url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let holderOutput = "";
  holder.stdout!.on("data", (d: Buffer) => {
    holderOutput += d.toString();
  });
  const holderReport = (word: string) =>
    new Promise<{ events: number }>((resolve, reject) => {
      const check = () => {
        const match = new RegExp(`${word} (\\{.*\\})`).exec(holderOutput);
        if (match) resolve(JSON.parse(match[1]!));
      };
      holder!.stdout!.on("data", check);
      const exited = () => {
        check();
        reject(new Error(`stream holder exited: ${holderOutput}`));
      };
      if (holder!.exitCode !== null) exited();
      holder!.on("exit", exited);
      check();
    });
  log(`cold leaderboard ${coldMs} ms; opening ${STREAMS} streams`);
  await holderReport("ready");
  log("streams open");
  const streamsOpenMs = Math.round(performance.now() - opening);
  const rssWithStreams = rssMb(pid);

  // One queued trial canceled each second: the views must follow the changes.
  // At most 8 of the 16 queued trials: the sweep stays running (its streams open) throughout.
  const queued = runIds.slice(-16, -8);
  let canceled = 0;
  const mutator = setInterval(() => {
    const id = queued[canceled++];
    if (id)
      void fetch(`${url}/v1/runs/${id}/cancel`, { method: "POST", headers: auth }).then((r) =>
        r.arrayBuffer(),
      );
  }, 1000);
  const measure = async (path: string) => {
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) times.push(await timed(path));
    return summary(times);
  };
  const leaderboardPage = await measure(`/v1/sweeps/${SWEEP}/leaderboard?limit=100`);
  const sweepLimited = await measure(`/v1/sweeps/${SWEEP}?leaderboardLimit=100&trialRunsLimit=100`);
  const sweepsList = await measure("/v1/sweeps");
  clearInterval(mutator);

  const peakWithRequests = peakRss;
  peakRss = rssMb(pid);
  log("requests measured; rendering the sweep page");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-background-networking"],
  });
  const firstRender: number[] = [];
  const trialsRender: number[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const login = await context.newPage();
    await login.goto(url);
    await login.getByLabel("Token").fill(TOKEN);
    await login.getByRole("button", { name: "Log in" }).click();
    await login.getByRole("link", { name: "Sweeps", exact: true }).waitFor();
    await login.close();
    for (let i = 0; i < PAGES; i++) {
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${url}/sweeps/${SWEEP}`);
      await page.locator('[data-testid="leaderboard"] tr[data-rank="1"]').waitFor({ timeout: 60_000 });
      firstRender.push(performance.now() - started);
      await page.locator('[data-testid="trials"] tr[data-run-id]').first().waitFor({ timeout: 60_000 });
      trialsRender.push(performance.now() - started);
      if (process.env.BENCH_TRACE)
        log(
          JSON.stringify(
            [`page ${i}: rows ${Math.round(firstRender.at(-1)!)} ms`].concat(
              await page.evaluate(() =>
                performance
                  .getEntries()
                  .filter((e) => e.entryType !== "mark")
                  .map(
                    (e) =>
                      `${e.name.replace(location.origin, "").slice(0, 60)} ${Math.round(e.startTime)}+${Math.round(e.duration)}`,
                  ),
              ),
            ),
          ),
        );
      await page.close();
    }
  } finally {
    await browser.close();
  }
  clearInterval(sampler);
  holder.kill("SIGTERM");
  await holderReport("done");

  console.log(
    JSON.stringify({
      store: postgres ? "postgres" : "sqlite",
      trials: TRIALS,
      evaluationsPerTrial: 20,
      fixtureSeconds: round(fixtureSeconds),
      streams: STREAMS,
      streamsOpenWithSnapshotsMs: streamsOpenMs,
      fullReportMs: summary(fullReportMs),
      coldLeaderboardMs: coldMs,
      plotsFirstDrawMs,
      healthzAndLeaderboardWhilePlotsDrawMs: summary(whilePlotsDraw),
      cancelsDuringRequests: canceled,
      leaderboardPageMs: leaderboardPage,
      sweepWithLimitsMs: sweepLimited,
      sweepsListMs: sweepsList,
      sweepPageFirstRenderMs: summary(firstRender),
      sweepPageColdFirstLoadMs: round(firstRender[0]!),
      sweepPageTrialsTableMs: summary(trialsRender),
      apiRssMb: {
        idle: rssIdle,
        withStreams: rssWithStreams,
        peakWithStreamsAndRequests: peakWithRequests,
        peakDuringPageLoads: peakRss,
        end: rssMb(pid),
      },
    }),
  );
} finally {
  holder?.kill("SIGTERM");
  server.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  await postgres?.drop();
}
