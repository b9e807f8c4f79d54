// `pnpm --filter @sweeplab/server bench:sweep-streams`: GET /v1/status latency (200 requests/s, paced) and the API
// process's RSS, first with no stream open, then while STREAMS (default 200) event streams follow one sweep of RUNS
// (default 640) trial runs. The sweep is written into the store before the service starts (half its runs canceled,
// half queued; no worker, so nothing trains); during the measurement BENCH_CANCELS_PER_SECOND (default 10) queued runs
// are canceled each second, so every stream gets changes to send. The service runs as its own process (src/main.ts), the
// streams are held by a third. Prints one JSON line.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "../store/open.ts";
import { createSweepFixture } from "../sweeps/sweep-fixture.ts";
import { runPacedLoad } from "./paced-load.ts";

const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 640);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** Queued runs canceled per second during the measurement (each a change every stream sends); 0 for none. */
const CANCELS_PER_SECOND = Number(process.env.BENCH_CANCELS_PER_SECOND ?? 10);
const RATE = 200;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "../..");

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const round = (ms: number) => Math.round(ms * 10) / 10;
const rssMb = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024);

async function measure(url: string, pid: number, seconds: number) {
  let peakRss = rssMb(pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(pid));
  }, 100);
  const load = await runPacedLoad({
    url: `${url}/v1/status`,
    ratePerSecond: RATE,
    seconds,
    warmupSeconds: 2,
  });
  clearInterval(sampler);
  const sorted = [...load.serviceLatenciesMs].sort((a, b) => a - b);
  return {
    requests: load.sent,
    non2xx: load.non2xx,
    errors: load.errors,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1)!),
    },
    rssMb: { end: rssMb(pid), peak: peakRss },
  };
}

/** Opens one event stream; resolves once its first `snapshot` trial events arrived. Counts what it receives. */
function openStream(url: string, snapshot: number, received: { bytes: number; events: number }) {
  return new Promise<() => void>((resolve, reject) => {
    const req = request(`${url}/v1/sweeps/fixture/events`, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
      let seen = 0;
      res.on("data", (chunk: Buffer) => {
        received.bytes += chunk.length;
        const events = chunk.toString("utf8").split("event: trial").length - 1;
        received.events += events;
        seen += events;
        if (seen >= snapshot) resolve(() => req.destroy());
      });
    });
    req.on("error", reject);
    req.end();
  });
}

// The streams are held by a second process (this script with BENCH_HOLD_STREAMS set to the service's URL), so
// their traffic never delays this process's timing of the status requests.
if (process.env.BENCH_HOLD_STREAMS) {
  const url = process.env.BENCH_HOLD_STREAMS;
  const received = { bytes: 0, events: 0 };
  await Promise.all(Array.from({ length: STREAMS }, () => openStream(url, RUNS, received)));
  process.stdout.write(`ready ${JSON.stringify(received)}\n`);
  process.on("SIGTERM", () => {
    process.stdout.write(`done ${JSON.stringify(received)}\n`, () => process.exit(0));
  });
  await new Promise(() => {});
}

const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-bench-streams-"));
const store = await openStore(`file:${join(dataDir, "store.sqlite")}`);
const { runIds } = await createSweepFixture(store, { id: "fixture", runs: RUNS, ended: RUNS / 2 });
await store.close();

const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
  cwd: packageDir,
  env: { ...process.env, PORT: "0", WORKERS: "0", SWEEPLAB_DATA_DIR: dataDir, SWEEPLAB_LOG_LEVEL: "warn" },
  stdio: ["ignore", "pipe", "inherit"],
});
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
  const baseline = await measure(url, pid, Math.min(10, SECONDS));

  const opening = performance.now();
  const holder = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    cwd: packageDir,
    env: { ...process.env, BENCH_HOLD_STREAMS: url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let holderOutput = "";
  holder.stdout!.on("data", (d: Buffer) => {
    holderOutput += d.toString();
  });
  const holderReport = (word: string) =>
    new Promise<{ bytes: number; events: number }>((resolve, reject) => {
      const check = () => {
        const match = new RegExp(`${word} (\\{.*\\})`).exec(holderOutput);
        if (match) resolve(JSON.parse(match[1]!));
      };
      holder.stdout!.on("data", check);
      holder.on("exit", () => {
        check();
        reject(new Error(`stream holder exited: ${holderOutput}`));
      });
      check();
    });
  const atSnapshot = await holderReport("ready");
  const snapshotsMs = Math.round(performance.now() - opening);

  let next = RUNS / 2;
  const mutator = setInterval(() => {
    const id = CANCELS_PER_SECOND > 0 ? runIds[next++] : undefined;
    if (id) request(`${url}/v1/runs/${id}/cancel`, { method: "POST" }, (r) => r.resume()).end();
  }, 1000 / Math.max(1, CANCELS_PER_SECOND));
  const withStreams = await measure(url, pid, SECONDS);
  clearInterval(mutator);
  holder.kill("SIGTERM");
  const atEnd = await holderReport("done");

  console.log(
    JSON.stringify({
      endpoint: "GET /v1/status",
      ratePerSecond: RATE,
      sweepRuns: RUNS,
      streams: STREAMS,
      baseline: { seconds: Math.min(10, SECONDS), ...baseline },
      withStreams: { seconds: SECONDS, ...withStreams },
      streamsOpenWithSnapshotsMs: snapshotsMs,
      streamBytesReceived: atEnd.bytes,
      changeEventsDuringMeasurement: atEnd.events - atSnapshot.events,
      cancelsPerSecond: CANCELS_PER_SECOND,
      runsCanceledDuringMeasurement: next - RUNS / 2,
    }),
  );
} finally {
  server.kill("SIGTERM");
}
