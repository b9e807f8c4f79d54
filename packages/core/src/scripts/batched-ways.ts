// The three ways bench-batched (and the GPU check) train K seed-mlp-style configs: batched, one by one, and by the
// PyTorch peer one after the other.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BackendName } from "../backend/select.ts";
import { SeededRandom } from "../data/random.ts";
import type { DatasetSpec } from "../data/sources.ts";
import { trainBatched } from "../train/batched.ts";
import type { RunConfigInput } from "../train/config.ts";
import type { Execution } from "../train/engine.ts";
import { train } from "../train/train.ts";

/** The repository root, for the peer script (override with SWEEPLAB_ROOT when the code runs bundled). */
const repoRoot = process.env.SWEEPLAB_ROOT ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface WayResult {
  /** `batched` or `sequential`, with `-graph` or `-eager` when the execution was forced; or `peer`. */
  way: string;
  trials: number;
  finished: number;
  wallSeconds: number;
  trialsPerHour: number;
  /** Median ms per training step: of the whole group (batched), of one trial (sequential, peer). */
  msPerStep: number;
  meanTestAccuracy: number;
  detail?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

function summarise(
  way: string,
  trials: number,
  wallSeconds: number,
  accuracies: number[],
  msPerStep: number,
  detail?: string,
): WayResult {
  return {
    way,
    trials,
    finished: accuracies.length,
    wallSeconds: Number(wallSeconds.toFixed(1)),
    trialsPerHour: Number(((accuracies.length * 3600) / wallSeconds).toFixed(1)),
    msPerStep: Number(msPerStep.toFixed(2)),
    meanTestAccuracy: Number((accuracies.reduce((a, b) => a + b, 0) / accuracies.length).toFixed(4)),
    ...(detail ? { detail } : {}),
  };
}

/** K configs as a seed-mlp sweep would propose them: learning rates log-uniform in [3e-4, 3e-3]. */
export function seedMlpConfigs(
  trials: number,
  steps: number,
  batchSize: number,
  dataset?: DatasetSpec,
): RunConfigInput[] {
  const random = new SeededRandom(20261127);
  return Array.from({ length: trials }, (_, seed) => ({
    model: { kind: "mlp", depth: 2, width: 512, activation: "silu" },
    optimizer: { kind: "adamw", learningRate: 3e-4 * 10 ** random.next() },
    batchSize,
    steps,
    logEverySteps: steps,
    evalEverySteps: steps,
    seed,
    ...(dataset ? { dataset } : {}),
  }));
}

export async function batched(
  configs: RunConfigInput[],
  backend: BackendName,
  execution: Execution | "auto" = "auto",
): Promise<WayResult> {
  const started = performance.now();
  const accuracies: number[] = [];
  let msPerStep = Number.NaN;
  const failures: string[] = [];
  for await (const { trialId, event } of trainBatched(configs, { backend, execution })) {
    if (event.type === "finished") {
      accuracies.push(event.testAccuracy);
      msPerStep = event.msPerStep;
    }
    if (event.type === "failed") failures.push(`${trialId}: ${event.code} ${event.message}`);
  }
  const wall = (performance.now() - started) / 1000;
  const way = execution === "auto" ? "batched" : `batched-${execution}`;
  return summarise(way, configs.length, wall, accuracies, msPerStep, failures.join("; ") || undefined);
}

export async function sequential(
  configs: RunConfigInput[],
  backend: BackendName,
  execution: Execution | "auto" = "auto",
): Promise<WayResult> {
  const started = performance.now();
  const accuracies: number[] = [];
  const steps: number[] = [];
  const failures: string[] = [];
  for (const config of configs) {
    for await (const event of train(config, { backend, execution })) {
      if (event.type === "finished") {
        accuracies.push(event.testAccuracy);
        steps.push(event.msPerStep);
      }
      if (event.type === "failed") failures.push(`${event.code} ${event.message}`);
    }
  }
  const wall = (performance.now() - started) / 1000;
  return summarise(
    execution === "auto" ? "sequential" : `sequential-${execution}`,
    configs.length,
    wall,
    accuracies,
    median(steps),
    failures.join("; ") || undefined,
  );
}

export function peer(configs: RunConfigInput[], device: string, threads: number, data?: string): WayResult {
  const script = join(repoRoot, "scripts/peers/torch_mnist.py");
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const started = performance.now();
  const accuracies: number[] = [];
  const steps: number[] = [];
  let detail = "";
  for (const config of configs) {
    const optimizer = config.optimizer as { learningRate: number };
    const args = [script, "train", "--model", "mlp", "--act", "silu", "--width", "512", "--opt", "adamw"];
    args.push("--steps", String(config.steps), "--batch", String(config.batchSize));
    args.push("--lr", String(optimizer.learningRate), "--seed", String(config.seed));
    args.push("--threads", String(threads), "--device", device, ...(data ? ["--data", data] : []));
    const r = spawnSync(python, args, { cwd: repoRoot, encoding: "utf8" });
    if (r.status !== 0) {
      detail = `peer failed: ${r.stderr.trim().split("\n").pop()}`;
      break;
    }
    const line = JSON.parse(r.stdout.trim().split("\n").pop()!) as {
      test_accuracy: number;
      median_step_ms: number;
      peer: string;
    };
    accuracies.push(line.test_accuracy);
    steps.push(line.median_step_ms);
    detail = line.peer;
  }
  const wall = (performance.now() - started) / 1000;
  return summarise("peer", configs.length, wall, accuracies, median(steps), detail);
}
