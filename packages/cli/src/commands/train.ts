import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import type { Run, RunConfig } from "@sweeplab/sdk";
import { RunFailedError, UsageError } from "../errors.ts";
import { summaryLine } from "../render/format.ts";
import { ProgressBar } from "../render/progress.ts";
import type { Target } from "../target.ts";
import { waitForRun } from "./wait-run.ts";

export interface TrainOptions {
  json?: boolean;
  detach?: boolean;
  plot?: string;
  name?: string;
  tag?: string[];
}

export function plotFormat(file: string): "svg" | "png" {
  const ext = extname(file).toLowerCase();
  if (ext !== ".svg" && ext !== ".png")
    throw new UsageError(`--plot takes a .svg or .png file, got "${file}"`);
  return ext.slice(1) as "svg" | "png";
}

export async function savePlot(target: Target, runId: string, file: string): Promise<void> {
  writeFileSync(file, await target.client.runs.curves(runId, plotFormat(file)));
}

/** Submits a run, then (unless detached) follows it with a progress bar; Ctrl-C cancels it. */
export async function train(target: Target, config: RunConfig, options: TrainOptions): Promise<Run> {
  if (options.plot) plotFormat(options.plot);
  const created = await target.client.runs.create({ config, name: options.name, tags: options.tag });
  if (options.detach) {
    if (options.json) console.log(JSON.stringify(created));
    else console.log(created.id);
    return created;
  }
  if (!options.json) console.error(`run ${created.id} on ${target.description}`);
  const bar = new ProgressBar();
  const cancel = () => {
    console.error(`\ncanceling ${created.id}...`);
    void target.client.runs.cancel(created.id).catch(() => {});
  };
  process.once("SIGINT", cancel);
  let run: Run;
  try {
    run = await waitForRun(target.client, created.id, (event) => options.json || bar.update(event));
  } finally {
    process.off("SIGINT", cancel);
    if (!options.json) bar.finish();
  }
  if (options.plot) await savePlot(target, run.id, options.plot);
  if (options.json) console.log(JSON.stringify(run));
  else if (run.status === "succeeded")
    console.log(summaryLine(bar.lastLearningRate, bar.lastLoss, run.testAccuracy));
  if (run.status !== "succeeded") {
    throw new RunFailedError(
      run.error?.code ?? run.status.toUpperCase(),
      `run ${run.id} ${run.status}: ${run.error?.message ?? ""}`.trim(),
    );
  }
  return run;
}
