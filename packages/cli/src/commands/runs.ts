import { writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Run } from "@sweeplab/sdk";
import { renderCharts } from "../render/charts.ts";
import { formatDuration, summaryLine } from "../render/format.ts";
import { ProgressBar } from "../render/progress.ts";
import type { Target } from "../target.ts";
import { savePlot } from "./train.ts";
import { waitForRun } from "./wait-run.ts";

const percent = (v: number | null) => (v === null ? "-" : `${(v * 100).toFixed(2)} %`);

function describeModel(run: Run): string {
  const m = run.config.model;
  if (!m) return "-";
  return m.kind === "mlp"
    ? `mlp ${m.depth ?? 2}x${m.width ?? 512} ${m.activation ?? ""}`
    : `cnn ${m.activation ?? ""}${m.batchNorm ? " bn" : ""}`;
}

export interface ListRunsOptions {
  status?: string;
  tag?: string;
  sweep?: string;
  sort?: "created" | "testAccuracy";
  limit?: string;
  cursor?: string;
  json?: boolean;
}

/** One page of runs; when there are more, a line on stderr says how to get the next page. */
export async function listRuns(target: Target, options: ListRunsOptions) {
  const page = await target.client.runs.list({
    status: options.status as never,
    tag: options.tag,
    sweepId: options.sweep,
    sort: options.sort,
    limit: options.limit ? Number(options.limit) : 20,
    cursor: options.cursor,
  });
  if (page.nextCursor) {
    const again = process.argv.slice(2).filter((a, i, all) => a !== "--cursor" && all[i - 1] !== "--cursor");
    console.error(`more: sweeplab ${again.join(" ")} --cursor ${page.nextCursor}`);
  }
  if (options.json) return console.log(JSON.stringify(page.items));
  console.log(
    [
      "id".padEnd(24),
      "status".padEnd(10),
      "model".padEnd(18),
      "steps".padEnd(12),
      "test acc".padEnd(9),
      "name",
    ].join(" "),
  );
  for (const run of page.items) {
    console.log(
      [
        run.id.padEnd(24),
        run.status.padEnd(10),
        describeModel(run).padEnd(18),
        `${run.step}/${run.totalSteps}`.padEnd(12),
        percent(run.testAccuracy).padEnd(9),
        run.name ?? "",
      ].join(" "),
    );
  }
}

export async function showRun(target: Target, id: string, options: { json?: boolean }) {
  const run = await target.client.runs.get(id);
  if (options.json) return console.log(JSON.stringify(run));
  const o = run.config.optimizer;
  const elapsed =
    run.startedAt && run.finishedAt
      ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000
      : undefined;
  console.log(`${run.id}  ${run.name ?? ""}`);
  console.log(`  status     ${run.status}${run.error ? ` (${run.error.code}: ${run.error.message})` : ""}`);
  console.log(`  model      ${describeModel(run)}`);
  console.log(
    `  optimizer  ${o?.kind ?? "adamw"} lr ${o?.learningRate ?? "-"} wd ${o?.weightDecay ?? 0}  batch ${run.config.batchSize}`,
  );
  console.log(
    `  steps      ${run.step}/${run.totalSteps}${elapsed ? `  in ${formatDuration(elapsed)}` : ""}${run.msPerStep ? `  (${run.msPerStep.toFixed(1)} ms/step)` : ""}`,
  );
  console.log(
    `  test       ${percent(run.testAccuracy)}${run.testLoss !== null ? `  loss ${run.testLoss.toFixed(4)}` : ""}`,
  );
  const backend = run.environment?.backend as { name?: string; devices?: string[] } | undefined;
  if (backend) console.log(`  backend    ${backend.name} (${backend.devices?.join(", ")})`);
  console.log();
  console.log(renderCharts(await target.client.runs.metrics(id)));
}

export async function watchRun(target: Target, id: string) {
  const bar = new ProgressBar();
  await waitForRun(target.client, id, (e) => bar.update(e));
  bar.finish();
  const run = await target.client.runs.get(id);
  console.log(`${run.status}  ${summaryLine(bar.lastLearningRate, bar.lastLoss, run.testAccuracy)}`);
  return run;
}

export async function cancelRun(target: Target, id: string) {
  const run = await target.client.runs.cancel(id);
  console.log(`${run.id} ${run.status === "canceled" ? "canceled" : "cancel requested"}`);
}

export async function removeRun(target: Target, id: string) {
  await target.client.runs.delete(id);
  console.log(`${id} deleted`);
}

export async function plotRun(target: Target, id: string, file: string) {
  await savePlot(target, id, file);
  console.log(`wrote ${file}`);
}

/**
 * Writes the run, its metrics history and (for a finished run) its model.json to one JSON file, and the model's
 * weights beside it (`<file>.weights.bin`, which the manifest names).
 */
export async function exportRun(target: Target, id: string, file: string | undefined) {
  const run = await target.client.runs.get(id);
  const metrics = await target.client.runs.metrics(id);
  const out = file ?? `${id}.json`;
  let model = null;
  if (run.status === "succeeded") {
    const weightsFile = `${basename(out)}.weights.bin`;
    writeFileSync(join(dirname(out), weightsFile), await target.client.runs.modelWeights(id));
    const json = await target.client.runs.model(id);
    model = { ...json, weightsManifest: json.weightsManifest.map((g) => ({ ...g, paths: [weightsFile] })) };
  }
  writeFileSync(out, JSON.stringify({ run, metrics: metrics.points, model }));
  console.log(`wrote ${out}${model ? ` and ${out}.weights.bin` : ""}`);
}
