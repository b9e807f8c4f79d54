// `pnpm --filter @sweeplab/server bench`: latency of GET /v1/status at 200 requests/s, first with the service idle,
// then while a worker trains the reference MLP (default RunConfig). The service runs as its own process
// (`src/main.ts`), as deployed; the load comes from this one. Prints one JSON line.
//
// The load is paced evenly (src/scripts/paced-load.ts), each request timed from when it was due.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPacedLoad } from "./paced-load.ts";

const RATE = 200;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const PORT = 20000 + Math.floor(Math.random() * 20000);
const url = `http://127.0.0.1:${PORT}`;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "../..");

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(seconds: number) {
  const load = await runPacedLoad({
    url: `${url}/v1/status`,
    ratePerSecond: RATE,
    seconds,
    warmupSeconds: WARMUP_SECONDS,
  });
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const summarise = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.at(-1) ?? Number.NaN),
    };
  };
  return {
    requests: load.sent,
    non2xx: load.non2xx,
    errors: load.errors,
    /** From when each request left: the service's latency (the figure the target is about). */
    latencyMs: summarise(load.serviceLatenciesMs),
    /** From when each request was due: also counts this process's own timer and scheduling lag. */
    latencyFromScheduleMs: summarise(load.latenciesMs),
  };
}

const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
  cwd: packageDir,
  env: {
    ...process.env,
    PORT: String(PORT),
    SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-bench-")),
  },
  stdio: "ignore",
});
const get = async <T>(path: string) => (await (await fetch(`${url}${path}`)).json()) as T;
try {
  for (;;) {
    const status = await get<{ workers: { state: string }[] }>("/v1/status").catch(() => undefined);
    if (status?.workers.every((w) => w.state === "idle")) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const idle = await measure(IDLE_SECONDS);
  const created = await fetch(`${url}/v1/runs`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ config: { steps: 100_000 } }),
  });
  const { id } = (await created.json()) as { id: string };
  // Measure only once the run is really training.
  while ((await get<{ step: number }>(`/v1/runs/${id}`)).step === 0)
    await new Promise((r) => setTimeout(r, 250));
  const before = (await get<{ step: number }>(`/v1/runs/${id}`)).step;
  const training = await measure(SECONDS);
  const run = await get<{ step: number; environment: { backend: { name: string } } }>(`/v1/runs/${id}`);
  console.log(
    JSON.stringify({
      endpoint: "GET /v1/status",
      ratePerSecond: RATE,
      idle: { seconds: IDLE_SECONDS, ...idle },
      training: { seconds: SECONDS, ...training },
      trainingStepsDuringBench: run.step - before,
      backend: run.environment.backend.name,
    }),
  );
} finally {
  server.kill("SIGTERM");
}
