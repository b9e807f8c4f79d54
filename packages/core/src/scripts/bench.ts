// `pnpm bench`: median ms per training step (after warm-up) for the MLP (batch 256) and the CNN (batch 128, also
// with batch norm), and the time to evaluate 10k test images, on every backend available here, next to the PyTorch
// peer measured in the same run (../shared/peers/torch_mnist.py step, Debian's python3). One child process per backend.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BackendName, BackendNameSchema, nativeBindingFile, prepareBackend } from "../backend/select.ts";
import { BatchSchedule } from "../data/batches.ts";
import { prepareDataset } from "../data/dataset.ts";
import { loadRawDataset } from "../data/sources.ts";
import { buildModel } from "../models/build.ts";
import type { ModelSpec } from "../models/spec.ts";
import { createOptimizer } from "../optim/create.ts";
import { evaluateSplit } from "../train/evaluate.ts";
import { parseRunConfig } from "../train/run-config.ts";
import { trainingStep } from "../train/step.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");

interface Measurement {
  backend: string;
  model: string;
  batchSize: number;
  msPerStep: number;
  evalMs10k: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

async function measure(
  backend: BackendName,
  label: string,
  model: ModelSpec,
  batchSize: number,
  steps: number,
): Promise<Measurement> {
  await prepareBackend({ backend });
  const config = parseRunConfig({
    model,
    batchSize,
    optimizer: { kind: "adamw", learningRate: model.kind === "mlp" ? 9.804e-4 : 5.426e-4 },
  });
  const dataset = prepareDataset(await loadRawDataset("mnist"), { validationSize: 5000, seed: 0 });
  const net = buildModel(config.model, { ...dataset, seed: 0 });
  const optimizer = createOptimizer(net.parameters, config.optimizer);
  const context = { config, dataset, model: net, optimizer };
  const batches = new BatchSchedule({ count: dataset.train.count, batchSize, seed: 0 });
  const warmup = 3;
  const times: number[] = [];
  for (let step = 0; step < warmup + steps; step++) {
    const started = performance.now();
    trainingStep(context, batches.indices(step), step, config.optimizer.learningRate).dispose();
    if (step >= warmup) times.push(performance.now() - started);
  }
  await evaluateSplit(net, dataset.test, 10, 512); // warm the evaluation path
  const evalStart = performance.now();
  await evaluateSplit(net, dataset.test, 10);
  const evalMs10k = performance.now() - evalStart;
  net.dispose();
  optimizer.dispose();
  dataset.dispose();
  return { backend, model: label, batchSize, msPerStep: median(times), evalMs10k };
}

async function child(backend: BackendName) {
  const mlp = await measure(
    backend,
    "mlp",
    { kind: "mlp", depth: 2, width: 512, activation: "silu", dropout: 0 },
    256,
    30,
  );
  const cnnSteps = backend === "wasm" ? 5 : 15;
  const cnnSpec: ModelSpec = {
    kind: "cnn",
    channels: [32, 64],
    denseWidth: 128,
    activation: "relu",
    batchNorm: false,
    dropout: 0,
  };
  const cnn = await measure(backend, "cnn", cnnSpec, 128, cnnSteps);
  // Batch norm trains through core's own kernels (backend/native-batch-norm.ts, models/batch-norm.ts).
  const cnnBatchNorm = await measure(backend, "cnn+bn", { ...cnnSpec, batchNorm: true }, 128, cnnSteps);
  console.log(JSON.stringify([mlp, cnn, cnnBatchNorm]));
}

function peer(model: "mlp" | "cnn", threads: number): Record<string, unknown> | string {
  const script = join(repoRoot, "../shared/peers/torch_mnist.py");
  if (!existsSync(script)) return "peer script not found";
  const r = spawnSync(
    "/usr/bin/python3",
    [script, "step", "--model", model, "--threads", String(threads), "--steps", "30"],
    {
      cwd: repoRoot,
      encoding: "utf8",
    },
  );
  if (r.status !== 0) return `peer failed: ${r.stderr.trim().split("\n").pop()}`;
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

async function main() {
  const { values } = parseArgs({
    // pnpm passes the `--` of `pnpm bench -- --backends ...` through.
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: { child: { type: "string" }, backends: { type: "string" } },
  });
  if (values.child) return child(BackendNameSchema.parse(values.child));
  const requested = values.backends?.split(",") ?? ["tensorflow-gpu", "tensorflow", "wasm"];
  const unknown = requested.filter((b) => !BackendNameSchema.safeParse(b).success);
  if (unknown.length > 0)
    throw new Error(
      `--backends: unknown ${unknown.join(", ")} (known: ${BackendNameSchema.options.join(", ")})`,
    );
  const available = requested.filter((b) =>
    b === "wasm"
      ? true
      : nativeBindingFile(b === "tensorflow" ? "@tensorflow/tfjs-node" : "@tensorflow/tfjs-node-gpu") !==
        undefined,
  );
  const rows: Measurement[] = [];
  for (const backend of available) {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--child", backend],
      {
        encoding: "utf8",
        env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    rows.push(...(JSON.parse(out.trim().split("\n").pop()!) as Measurement[]));
  }
  const peers = {
    mlp1: peer("mlp", 1),
    mlp2: peer("mlp", 2),
    cnn1: peer("cnn", 1),
    cnn2: peer("cnn", 2),
  };
  const peerMs = (p: unknown) =>
    typeof p === "object" && p ? (p as { median_step_ms: number }).median_step_ms : Number.NaN;
  console.log("backend      model  batch  ms/step   eval 10k (ms)  vs torch 1 thr  vs torch 2 thr");
  for (const r of rows) {
    // The peer has no batch-norm CNN: that row is compared with nothing.
    const [p1, p2] =
      r.model === "mlp" ? [peers.mlp1, peers.mlp2] : r.model === "cnn" ? [peers.cnn1, peers.cnn2] : [];
    console.log(
      `${r.backend.padEnd(12)} ${r.model.padEnd(6)} ${String(r.batchSize).padEnd(6)} ${r.msPerStep.toFixed(1).padStart(7)}   ${r.evalMs10k.toFixed(0).padStart(13)}  ${(r.msPerStep / peerMs(p1)).toFixed(2).padStart(13)}x  ${(r.msPerStep / peerMs(p2)).toFixed(2).padStart(13)}x`,
    );
  }
  for (const [name, p] of Object.entries(peers)) {
    console.log(
      `peer ${name}: ${typeof p === "string" ? p : `${peerMs(p)} ms/step (${(p as { peer: string }).peer})`}`,
    );
  }
  console.log(JSON.stringify({ rows, peers }));
}

await main().catch((error: Error) => {
  console.error(`bench: ${error.message}`);
  process.exitCode = 1;
});
