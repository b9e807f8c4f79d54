// `pnpm --filter @sweeplab/server bench`: p99 latency of GET /v1/status at 200 requests/s (autocannon, from this
// process) while a worker trains the reference MLP. Prints one JSON line.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { loadConfig } from "../config.ts";
import { startService } from "../service.ts";

const RATE = 200;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

const service = await startService(
  loadConfig({
    PORT: "0",
    SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-bench-")),
    SWEEPLAB_BACKEND: process.env.SWEEPLAB_BACKEND ?? "auto",
  }),
);
try {
  const created = await fetch(`${service.url}/v1/runs`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ config: { steps: 100_000, logEverySteps: 10, evalEverySteps: 500 } }),
  });
  const { id } = (await created.json()) as { id: string };
  // Wait until the run is really training, so the measurement overlaps training.
  for (;;) {
    const run = (await (await fetch(`${service.url}/v1/runs/${id}`)).json()) as { step: number };
    if (run.step > 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const result = await autocannon({
    url: `${service.url}/v1/status`,
    connections: 10,
    overallRate: RATE,
    duration: SECONDS,
  });
  const run = (await (await fetch(`${service.url}/v1/runs/${id}`)).json()) as {
    step: number;
    environment: { backend: { name: string } };
  };
  await fetch(`${service.url}/v1/runs/${id}/cancel`, { method: "POST" });
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
      trainingStepsDuringBench: run.step,
      backend: run.environment.backend.name,
    }),
  );
} finally {
  await service.close();
}
