// Writes src/openapi/examples.json: a real request and response for every operation, taken from a real service
// training a tiny run and a two-trial sweep, so the examples in the OpenAPI document are what the service sends
// (redocly lint checks each against its schema). Run again after a schema changes:
//   pnpm --filter @sweeplab/server exec tsx src/scripts/capture-examples.ts
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config.ts";
import { startService } from "../service.ts";

const TOKEN = "example-token";
const service = await startService(
  loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-examples-")),
    SWEEPLAB_TOKEN: TOKEN,
    SWEEPLAB_LOG_LEVEL: "warn",
    WORKERS: "1",
  }),
);
const examples: Record<string, { request?: unknown; response?: unknown }> = {};

async function call(operationId: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = response.headers.get("content-type") ?? "";
  const value = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error(`${operationId}: ${response.status} ${JSON.stringify(value)}`);
  examples[operationId] = {
    ...(body ? { request: body } : {}),
    ...(value === "" ? {} : { response: value }),
  };
  return value as Record<string, unknown>;
}

async function until(path: string, done: (v: Record<string, unknown>) => boolean) {
  for (;;) {
    const value = (await (
      await fetch(`${service.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).json()) as Record<string, unknown>;
    if (done(value)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}
const ended = (v: Record<string, unknown>) => !["queued", "running"].includes(String(v.status));

try {
  await call("health", "GET", "/healthz");
  const config = {
    model: { kind: "mlp", depth: 1, width: 16 },
    optimizer: { kind: "adamw", learningRate: 1e-3 },
    steps: 20,
    logEverySteps: 10,
    evalEverySteps: 10,
    validationSize: 500,
  };
  const run = await call("createRun", "POST", "/v1/runs", { name: "example", tags: ["docs"], config });
  const id = String(run.id);
  await until(`/v1/runs/${id}`, ended);
  await call("getRun", "GET", `/v1/runs/${id}`);
  await call("listRuns", "GET", "/v1/runs?limit=1");
  await call("getRunMetrics", "GET", `/v1/runs/${id}/metrics?limit=2`);
  await call("getRunEvaluation", "GET", `/v1/runs/${id}/evaluation`);
  await call("getRunModel", "GET", `/v1/runs/${id}/model`);
  await call("getRunCurvesSvg", "GET", `/v1/runs/${id}/curves.svg`);
  await call("getRunEvents", "GET", `/v1/runs/${id}/events`);
  const digit = Array.from({ length: 28 }, (_, r) =>
    Array.from({ length: 28 }, (_, c) => (c === 14 && r > 4 && r < 24 ? 255 : 0)),
  );
  await call("predictWithRun", "POST", `/v1/runs/${id}/predict`, { images: [digit] });
  await call("getStatus", "GET", "/v1/status");
  const other = await call("createRun", "POST", "/v1/runs", { config: { ...config, steps: 5000 } });
  await call("cancelRun", "POST", `/v1/runs/${String(other.id)}/cancel`);
  examples.createRun = { request: { name: "example", tags: ["docs"], config }, response: run };
  await until(`/v1/runs/${String(other.id)}`, ended);
  await call("deleteRun", "DELETE", `/v1/runs/${String(other.id)}`);

  const space = {
    parameters: [{ name: "lr", path: "optimizer.learningRate", type: "log-uniform", low: 1e-4, high: 1e-2 }],
  };
  const sweep = await call("createSweep", "POST", "/v1/sweeps", {
    name: "example",
    base: config,
    space,
    trials: 2,
    parallelism: 1,
  });
  await until(`/v1/sweeps/${String(sweep.id)}`, (s) => s.status !== "running");
  await call("getSweep", "GET", `/v1/sweeps/${String(sweep.id)}`);
  await call("getSweepLeaderboard", "GET", `/v1/sweeps/${String(sweep.id)}/leaderboard?limit=1`);
  await call("getSweepTrials", "GET", `/v1/sweeps/${String(sweep.id)}/trials?limit=1`);
  await call("listSweeps", "GET", "/v1/sweeps?limit=1");
  await call("getSweepEvents", "GET", `/v1/sweeps/${String(sweep.id)}/events`);
  const exported = await call("exportSweep", "GET", `/v1/sweeps/${String(sweep.id)}/export`);
  await call("importSweep", "POST", "/v1/sweeps/import", exported);
  await call("getSweepReport", "GET", `/v1/sweeps/${String(sweep.id)}/report.html`);
  const long = await call("createSweep", "POST", "/v1/sweeps", {
    base: { ...config, steps: 5000 },
    space,
    trials: 4,
  });
  await call("cancelSweep", "POST", `/v1/sweeps/${String(long.id)}/cancel`);
  // Resume once its trials have stopped, then cancel it again.
  await until(`/v1/sweeps/${String(long.id)}`, (s) =>
    (s.trialRuns as { status: string }[]).every((t) => !["queued", "running"].includes(t.status)),
  );
  await call("resumeSweep", "POST", `/v1/sweeps/${String(long.id)}/resume`, {
    budget: { wallClockSeconds: 600, maxTrials: 8 },
  });
  await call("cancelSweep", "POST", `/v1/sweeps/${String(long.id)}/cancel`);
  await call("extendSweep", "POST", `/v1/sweeps/${String(sweep.id)}/extend`, { trials: 1 });
  await until(`/v1/sweeps/${String(sweep.id)}`, (s) => s.status !== "running");
  // A learning rate that makes every trial diverge (judged at step 10 of 100), to retry.
  const failing = await call("createSweep", "POST", "/v1/sweeps", {
    base: { ...config, steps: 100, optimizer: { kind: "sgd", learningRate: 1000 } },
    space: { parameters: [{ name: "width", path: "model.width", type: "categorical", values: [16] }] },
    trials: 1,
  });
  await until(`/v1/sweeps/${String(failing.id)}`, (s) => s.status !== "running");
  await call("retrySweep", "POST", `/v1/sweeps/${String(failing.id)}/retry`);
  await until(`/v1/sweeps/${String(failing.id)}`, (s) => s.status !== "running");
  examples.createSweep = {
    request: { name: "example", base: config, space, trials: 2, parallelism: 1 },
    response: sweep,
  };
  examples.createSession = { request: { token: "<one of SWEEPLAB_TOKEN>" } };
} finally {
  await service.close();
}

// An export's runs with their first events and metric rows only (still a file the import takes), the report's head.
type ExportExample = { trials: { runs: { events: unknown[]; metrics: unknown[] }[] }[] };
for (const id of ["exportSweep", "importSweep"]) {
  const example = examples[id]!;
  const file = structuredClone((id === "exportSweep" ? example.response : example.request) as ExportExample);
  for (const run of file.trials.flatMap((t) => t.runs)) {
    run.events = run.events.slice(0, 3);
    run.metrics = run.metrics.slice(0, 2);
  }
  examples[id] = id === "exportSweep" ? { response: file } : { ...example, request: file };
}
examples.getSweepReport = { response: `${String(examples.getSweepReport?.response).slice(0, 200)}…` };
// Only the first lines of the event streams and of the SVG; the model's weights manifest stays whole (it is small).
examples.getRunCurvesSvg = { response: `${String(examples.getRunCurvesSvg?.response).slice(0, 88)}…</svg>` };
for (const id of ["getRunEvents", "getSweepEvents"]) {
  const text = String(examples[id]?.response ?? "");
  examples[id] = { response: `${text.split("\n\n").slice(0, 3).join("\n\n")}\n\n` };
}
const out = join(dirname(fileURLToPath(import.meta.url)), "..", "openapi", "examples.json");
writeFileSync(out, `${JSON.stringify(examples, null, 2)}\n`);
console.log(`wrote ${out}`);
