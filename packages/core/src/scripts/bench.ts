// `pnpm bench`: median ms per training step (after warm-up) for the MLP (batch 256) and the CNN (batch 128, also
// with batch norm), and the time to evaluate 10k test images, on every backend available here (the native ones
// both as one graph per step and op by op), at 1 and 2 threads, next to the PyTorch peer measured in the same
// round (../shared/peers/torch_mnist.py step). One child process per backend, execution and thread count.
// Flags: --backends tensorflow,wasm --threads 1,2 --executions graph,eager --rounds N.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BackendName, BackendNameSchema, nativeBindingFile, prepareBackend } from "../backend/select.ts";
import { BatchSchedule } from "../data/batches.ts";
import { prepareHostDataset } from "../data/dataset.ts";
import { loadRawDataset } from "../data/sources.ts";
import type { ModelSpec } from "../models/spec.ts";
import { createEagerEngine } from "../train/eager-engine.ts";
import type { Execution } from "../train/engine.ts";
import { createGraphEngine, graphExecutionProblem } from "../train/graph-engine.ts";
import { parseRunConfig } from "../train/run-config.ts";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../../..");

interface Measurement {
  backend: string;
  execution: Execution;
  /** Making the engine: the graph's build, session and data upload, or the eager model and device copies. */
  buildMs: number;
  firstStepMs: number;
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
  execution: Execution,
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
  const host = prepareHostDataset(await loadRawDataset("mnist"), { validationSize: 5000, seed: 0 });
  const built = performance.now();
  const engine = execution === "graph" ? createGraphEngine(config, host) : createEagerEngine(config, host);
  const buildMs = performance.now() - built;
  const batches = new BatchSchedule({ count: host.train.count, batchSize, seed: 0 });
  const warmup = 3;
  const times: number[] = [];
  let firstStepMs = 0;
  for (let step = 0; step < warmup + steps; step++) {
    const started = performance.now();
    engine.step(batches.indices(step), step, config.optimizer.learningRate).dispose();
    const elapsed = performance.now() - started;
    if (step === 0) firstStepMs = elapsed;
    if (step >= warmup) times.push(elapsed);
  }
  await engine.evaluate("validation", 512); // warm the evaluation path
  const evalStart = performance.now();
  await engine.evaluateTest();
  const evalMs10k = performance.now() - evalStart;
  engine.dispose();
  return {
    backend,
    execution,
    model: label,
    batchSize,
    msPerStep: median(times),
    evalMs10k,
    buildMs,
    firstStepMs,
  };
}

async function child(backend: BackendName, execution: Execution) {
  const mlp = await measure(
    backend,
    execution,
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
  const cnn = await measure(backend, execution, "cnn", cnnSpec, 128, cnnSteps);
  const cnnBatchNorm = await measure(
    backend,
    execution,
    "cnn+bn",
    { ...cnnSpec, batchNorm: true },
    128,
    cnnSteps,
  );
  console.log(JSON.stringify([mlp, cnn, cnnBatchNorm]));
}

/** The peer's python: PEER_PYTHON, else the venv that ../shared/peers/venv.sh makes (newest PyTorch), else Debian's. */
function peerPython(): string {
  if (process.env.PEER_PYTHON) return process.env.PEER_PYTHON;
  const venv = join(homedir(), ".cache/sweeplab-peer-venv/bin/python");
  return existsSync(venv) ? venv : "/usr/bin/python3";
}

function peer(model: "mlp" | "cnn", threads: number): Record<string, unknown> | string {
  const script = join(repoRoot, "../shared/peers/torch_mnist.py");
  if (!existsSync(script)) return "peer script not found";
  const r = spawnSync(
    peerPython(),
    [script, "step", "--model", model, "--threads", String(threads), "--steps", "30"],
    {
      cwd: repoRoot,
      encoding: "utf8",
    },
  );
  if (r.status !== 0) return `peer failed: ${r.stderr.trim().split("\n").pop()}`;
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
}

interface Row extends Measurement {
  round: number;
  threads: number;
}

const peerMs = (p: unknown) =>
  typeof p === "object" && p ? (p as { median_step_ms: number }).median_step_ms : Number.NaN;

async function main() {
  const { values } = parseArgs({
    // pnpm passes the `--` of `pnpm bench -- --backends ...` through.
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      child: { type: "string" },
      execution: { type: "string" },
      backends: { type: "string" },
      threads: { type: "string" },
      rounds: { type: "string" },
      executions: { type: "string" },
    },
  });
  if (values.child) {
    return child(BackendNameSchema.parse(values.child), values.execution === "eager" ? "eager" : "graph");
  }
  const requested = values.backends?.split(",") ?? ["tensorflow-gpu", "tensorflow", "wasm"];
  const unknown = requested.filter((b) => !BackendNameSchema.safeParse(b).success);
  if (unknown.length > 0)
    throw new Error(
      `--backends: unknown ${unknown.join(", ")} (known: ${BackendNameSchema.options.join(", ")})`,
    );
  const threadCounts = (values.threads ?? "1,2").split(",").map(Number);
  if (threadCounts.some((t) => !Number.isInteger(t) || t < 1)) throw new Error("--threads: e.g. 1,2");
  const rounds = Number(values.rounds ?? 1);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error("--rounds: a positive integer");
  const available = requested.filter((b) =>
    b === "wasm"
      ? true
      : nativeBindingFile(b === "tensorflow" ? "@tensorflow/tfjs-node" : "@tensorflow/tfjs-node-gpu") !==
        undefined,
  ) as BackendName[];
  const rows: Row[] = [];
  const peers: Record<string, Record<string, unknown> | string> = {};
  // Paired rounds: each round measures sweeplab and the peer at each thread count back to back, so a ratio
  // compares two figures taken under the same load.
  for (let round = 1; round <= rounds; round++) {
    for (const threads of threadCounts) {
      for (const backend of available) {
        const executions: Execution[] =
          backend === "wasm" || graphExecutionProblem(backend) !== undefined
            ? ["eager"]
            : ((values.executions ?? "graph,eager").split(",") as Execution[]);
        for (const execution of executions) {
          const out = execFileSync(
            process.execPath,
            ["--import", "tsx", fileURLToPath(import.meta.url), "--child", backend, "--execution", execution],
            {
              encoding: "utf8",
              env: {
                ...process.env,
                TF_CPP_MIN_LOG_LEVEL: "2",
                TF_NUM_INTRAOP_THREADS: String(threads),
                TF_NUM_INTEROP_THREADS: String(threads),
              },
              stdio: ["ignore", "pipe", "inherit"],
            },
          );
          const measured = JSON.parse(out.trim().split("\n").pop()!) as Measurement[];
          rows.push(...measured.map((m) => ({ ...m, round, threads })));
        }
      }
      peers[`r${round}-mlp${threads}`] = peer("mlp", threads);
      peers[`r${round}-cnn${threads}`] = peer("cnn", threads);
    }
  }
  const bestPeer = (round: number, model: string) =>
    Math.min(...threadCounts.map((t) => peerMs(peers[`r${round}-${model}${t}`])));
  console.log(
    "round threads backend      execution model  batch  ms/step  first step  build (ms)  eval 10k (ms)  vs torch same threads  vs torch best",
  );
  for (const r of rows) {
    // The peer has no batch-norm CNN: that row is compared with nothing.
    const base = r.model === "mlp" || r.model === "cnn" ? r.model : undefined;
    const same = base ? peerMs(peers[`r${r.round}-${base}${r.threads}`]) : Number.NaN;
    const best = base ? bestPeer(r.round, base) : Number.NaN;
    console.log(
      `${String(r.round).padEnd(5)} ${String(r.threads).padEnd(7)} ${r.backend.padEnd(12)} ${r.execution.padEnd(9)} ${r.model.padEnd(6)} ${String(r.batchSize).padEnd(6)} ${r.msPerStep.toFixed(1).padStart(7)}  ${r.firstStepMs.toFixed(0).padStart(10)}  ${r.buildMs.toFixed(0).padStart(10)}  ${r.evalMs10k.toFixed(0).padStart(13)}  ${(r.msPerStep / same).toFixed(2).padStart(20)}x  ${(r.msPerStep / best).toFixed(2).padStart(12)}x`,
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
