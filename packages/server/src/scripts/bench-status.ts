// `pnpm --filter @sweeplab/server bench`: p99 latency of GET /v1/status at 200 requests/s while a worker trains
// the reference MLP (default RunConfig). The service runs as its own process (`src/main.ts`), as deployed; the
// load comes from autocannon in this one. Prints one JSON line.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const RATE = 200;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const PORT = 20000 + Math.floor(Math.random() * 20000);
const url = `http://127.0.0.1:${PORT}`;
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "../..");

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
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
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
  const result = await autocannon({
    url: `${url}/v1/status`,
    connections: 10,
    overallRate: RATE,
    duration: SECONDS,
  });
  const run = await get<{ step: number; environment: { backend: { name: string } } }>(`/v1/runs/${id}`);
  console.log(
    JSON.stringify({
      endpoint: "GET /v1/status",
      ratePerSecond: RATE,
      seconds: SECONDS,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      trainingStepsDuringBench: run.step - before,
      backend: run.environment.backend.name,
    }),
  );
} finally {
  server.kill("SIGTERM");
}
