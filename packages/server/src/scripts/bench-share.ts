// Times sharing a large sweep through the API in-process: import a generated export file of TRIALS trials with
// EVALS evaluations each (one repeat; step rows and events as a run logs them), export it again, and build its
// HTML report. Prints the file size and each duration.
//   pnpm --filter @sweeplab/server exec tsx src/scripts/bench-share.ts [TRIALS=1000] [EVALS=20] [DATABASE_URL]

import { SWEEP_EXPORT_FORMAT, type SweepExport } from "@sweeplab/contract";
import { parseRunConfig, type RunEvent } from "@sweeplab/core";
import { createTestApp } from "../test-app.ts";
import { testSweepSpec } from "../test-support/sweep-spec.ts";

const trials = Number(process.argv[2] ?? 1000);
const evals = Number(process.argv[3] ?? 20);
const databaseUrl = process.argv[4];

function generate(): SweepExport {
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const batches = [16, 32, 64];
  return {
    format: SWEEP_EXPORT_FORMAT,
    version: 1,
    exportedAt: at,
    exportedBy: { name: "sweeplab", version: "bench" },
    sweep: {
      id: "swp_bench",
      name: "bench",
      status: "succeeded",
      stopReason: null,
      createdAt: at,
      finishedAt: at,
      spec: { ...testSweepSpec({ trials, method: "random", base: { steps: evals * 10 } }) },
    },
    trials: Array.from({ length: trials }, (_, index) => {
      const batch = batches[index % 3]!;
      const config = parseRunConfig({ steps: evals * 10, batchSize: batch, seed: 0 });
      const accuracy = 0.9 + (index % 97) / 1000;
      const events: RunEvent[] = [
        { type: "queued" },
        { type: "claimed", workerId: "w", host: "h", attempt: 1 },
      ];
      const metrics: SweepExport["trials"][number]["runs"][number]["metrics"] = [];
      for (let e = 1; e <= evals; e++) {
        const step = e * 10;
        const values = { loss: 1 / step, learningRate: 0.001, msPerStep: 2.5 };
        events.push({ type: "step", step, ...values, examplesPerSecond: 1000, liveTensors: 12 });
        metrics.push({
          step,
          kind: "step",
          ...values,
          trainLoss: null,
          trainAccuracy: null,
          validationLoss: null,
          validationAccuracy: null,
        });
        const ev = {
          trainLoss: 1 / step,
          trainAccuracy: accuracy,
          validationLoss: 1 / step,
          validationAccuracy: accuracy - (evals - e) / 1000,
        };
        events.push({ type: "eval", step, ...ev, learningRate: 0.001 });
        metrics.push({ step, kind: "eval", loss: null, learningRate: 0.001, msPerStep: null, ...ev });
      }
      events.push({
        type: "finished",
        step: evals * 10,
        testLoss: 0.1,
        testAccuracy: accuracy,
        msPerStep: 2.5,
        trainSeconds: 1,
        wallSeconds: 2,
      });
      return {
        index,
        params: { batch },
        history: [],
        runs: [
          {
            id: `run_bench_${index}`,
            name: `bench #${index}`,
            tags: ["sweep"],
            repeatIndex: 0,
            trialAttempt: 0,
            retryOf: null,
            seed: 0,
            status: "succeeded" as const,
            attempts: 1,
            step: evals * 10,
            totalSteps: evals * 10,
            config,
            testAccuracy: accuracy,
            testLoss: 0.1,
            bestValidationAccuracy: accuracy,
            msPerStep: 2.5,
            errorCode: null,
            errorMessage: null,
            environment: null,
            datasetShape: null,
            evaluation: null,
            createdAt: at,
            startedAt: at,
            finishedAt: at,
            metrics,
            events: events.map((event, i) => ({ seq: i + 1, createdAt: at, event })),
          },
        ],
      };
    }),
  };
}

const body = JSON.stringify(generate());
const test = await createTestApp({
  SWEEPLAB_MAX_IMPORT_BYTES: String(body.length + 1),
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});
const time = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await work();
  console.log(`${label}: ${Math.round(performance.now() - started)} ms`);
  return result;
};
try {
  console.log(
    `${test.deps.store.dialect}: ${trials} trials x ${evals} evaluations, file ${(body.length / 1e6).toFixed(1)} MB`,
  );
  const imported = await time("import", async () => {
    const response = await test.app.request("/v1/sweeps/import", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    if (response.status !== 201) throw new Error(`import: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  });
  await time("export", async () => (await test.app.request(`/v1/sweeps/${imported.id}/export`)).text());
  const html = await time("report.html", async () =>
    (await test.app.request(`/v1/sweeps/${imported.id}/report.html`)).text(),
  );
  console.log(
    `report ${(html.length / 1e6).toFixed(1)} MB; rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
  );
} finally {
  await test.close();
}
