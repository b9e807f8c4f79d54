// `pnpm --filter @sweeplab/core bench-batched -- --trials 16 --steps 1000 --batch 128 --backend tensorflow`:
// trials per hour for K seed-mlp-style configs (MLP 2 x 512 SiLU, AdamW, peak learning rates log-uniform in
// [3e-4, 3e-3], one seed each) trained three ways in one run: batched (trainBatched), one by one (train()), and
// by the PyTorch peer one after the other (scripts/peers/torch_mnist.py; --device cuda on a GPU host).
// --only batched|sequential|peer runs one of them. Prints one JSON line per way, then a summary.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BackendNameSchema } from "../backend/select.ts";
import { SeededRandom } from "../data/random.ts";
import { trainBatched } from "../train/batched.ts";
import type { RunConfigInput } from "../train/config.ts";
import { train } from "../train/train.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

interface WayResult {
  way: "batched" | "sequential" | "peer";
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
  way: WayResult["way"],
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
export function seedMlpConfigs(trials: number, steps: number, batchSize: number): RunConfigInput[] {
  const random = new SeededRandom(20261127);
  return Array.from({ length: trials }, (_, seed) => ({
    model: { kind: "mlp", depth: 2, width: 512, activation: "silu" },
    optimizer: { kind: "adamw", learningRate: 3e-4 * 10 ** random.next() },
    batchSize,
    steps,
    logEverySteps: steps,
    evalEverySteps: steps,
    seed,
  }));
}

async function batched(configs: RunConfigInput[], backend: string): Promise<WayResult> {
  const started = performance.now();
  const accuracies: number[] = [];
  let msPerStep = Number.NaN;
  const failures: string[] = [];
  for await (const { trialId, event } of trainBatched(configs, {
    backend: BackendNameSchema.parse(backend),
  })) {
    if (event.type === "finished") {
      accuracies.push(event.testAccuracy);
      msPerStep = event.msPerStep;
    }
    if (event.type === "failed") failures.push(`${trialId}: ${event.code} ${event.message}`);
  }
  const wall = (performance.now() - started) / 1000;
  return summarise("batched", configs.length, wall, accuracies, msPerStep, failures.join("; ") || undefined);
}

async function sequential(configs: RunConfigInput[], backend: string): Promise<WayResult> {
  const started = performance.now();
  const accuracies: number[] = [];
  const steps: number[] = [];
  const failures: string[] = [];
  for (const config of configs) {
    for await (const event of train(config, { backend: BackendNameSchema.parse(backend) })) {
      if (event.type === "finished") {
        accuracies.push(event.testAccuracy);
        steps.push(event.msPerStep);
      }
      if (event.type === "failed") failures.push(`${event.code} ${event.message}`);
    }
  }
  const wall = (performance.now() - started) / 1000;
  return summarise(
    "sequential",
    configs.length,
    wall,
    accuracies,
    median(steps),
    failures.join("; ") || undefined,
  );
}

function peer(configs: RunConfigInput[], device: string, threads: number, data?: string): WayResult {
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

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      trials: { type: "string", default: "16" },
      steps: { type: "string", default: "1000" },
      batch: { type: "string", default: "128" },
      backend: { type: "string", default: "tensorflow" },
      only: { type: "string" },
      device: { type: "string", default: "cpu" },
      threads: { type: "string", default: "2" },
      data: { type: "string" },
    },
  });
  const configs = seedMlpConfigs(Number(values.trials), Number(values.steps), Number(values.batch));
  const ways = values.only ? values.only.split(",") : ["batched", "sequential", "peer"];
  const results: WayResult[] = [];
  for (const way of ways) {
    const result =
      way === "batched"
        ? await batched(configs, values.backend)
        : way === "sequential"
          ? await sequential(configs, values.backend)
          : peer(configs, values.device, Number(values.threads), values.data);
    console.log(JSON.stringify({ ...result, backend: way === "peer" ? values.device : values.backend }));
    results.push(result);
  }
  console.log(`${values.trials} trials x ${values.steps} steps, batch ${values.batch}`);
  for (const r of results) {
    console.log(
      `${r.way.padEnd(10)} ${r.trialsPerHour.toFixed(1).padStart(8)} trials/h  wall ${r.wallSeconds.toFixed(1).padStart(7)} s  ${r.msPerStep.toFixed(2).padStart(8)} ms/step  mean test acc ${(r.meanTestAccuracy * 100).toFixed(2)} %  (${r.finished}/${r.trials} finished${r.detail ? `; ${r.detail}` : ""})`,
    );
  }
}

await main().catch((error: Error) => {
  console.error(`bench-batched: ${error.message}`);
  process.exitCode = 1;
});
