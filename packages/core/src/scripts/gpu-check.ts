// The GPU check's steps on the webgpu backend, one per call, each printing JSON lines (scripts/gpu-check.sh runs
// them bundled on a GPU host; here they stop at BACKEND_UNAVAILABLE):
//   kernels                      core's WGSL kernels against the CPU reference (relative error)
//   steps [--stock]              ms per training step: MLP b256 / b1024, CNN b128 / b512 (--stock: stock kernels)
//   accuracy                     the reference MLP (2000 steps) and the default CNN (1000 steps): test accuracy
//   batched [--trials 16 --steps 1000 --batch 128]   trainBatched on K seed-mlp configs: trials per hour
//   peer-configs [same flags]    "learningRate seed" of those K configs, one a line (no backend needed)
// --data DIR reads MNIST from a folder of IDX files (no node_modules there).
import { parseArgs } from "node:util";
import type { BackendName } from "../backend/info.ts";
import { prepareBackend } from "../backend/select.ts";
import { checkWebGpuKernels } from "../backend/webgpu/kernels/check.ts";
import { BatchSchedule } from "../data/batches.ts";
import { prepareDataset } from "../data/dataset.ts";
import { type DatasetSpec, loadRawDataset } from "../data/sources.ts";
import { isCoreError } from "../errors.ts";
import { buildModel } from "../models/build.ts";
import type { ModelSpecInput } from "../models/spec.ts";
import { createOptimizer } from "../optim/create.ts";
import type { RunConfigInput } from "../train/config.ts";
import { parseRunConfig } from "../train/run-config.ts";
import { CNN_RECIPE } from "../train/run-flags.ts";
import { trainingStep } from "../train/step.ts";
import { train } from "../train/train.ts";
import { batched, seedMlpConfigs } from "./batched-ways.ts";

const print = (value: object) => console.log(JSON.stringify(value));

async function stepTime(dataset: DatasetSpec, model: ModelSpecInput, batchSize: number, steps: number) {
  const config = parseRunConfig({ dataset, model, batchSize });
  const data = prepareDataset(await loadRawDataset(dataset), { validationSize: 5000, seed: 0 });
  const net = buildModel(config.model, { ...data, seed: 0 });
  const optimizer = createOptimizer(net.parameters, config.optimizer);
  const context = { config, dataset: data, model: net, optimizer };
  const batches = new BatchSchedule({ count: data.train.count, batchSize, seed: 0 });
  const warmup = 20;
  let started = 0;
  for (let step = 0; step < warmup + steps; step++) {
    if (step === warmup) {
      // Shader compilation runs on through the first steps: start the clock on an idle queue.
      await trainingStep(context, batches.indices(step), step, 1e-3).data();
      started = performance.now();
      continue;
    }
    const loss = trainingStep(context, batches.indices(step), step, 1e-3);
    if (step === warmup + steps - 1) await loss.data();
    loss.dispose();
  }
  const msPerStep = (performance.now() - started) / (steps - 1);
  net.dispose();
  optimizer.dispose();
  data.dispose();
  return msPerStep;
}

async function finalAccuracy(config: RunConfigInput, backend: BackendName) {
  for await (const event of train(config, { backend })) {
    if (event.type === "finished")
      return { testAccuracy: event.testAccuracy, msPerStep: event.msPerStep, wallSeconds: event.wallSeconds };
    if (event.type === "failed") return { failed: `${event.code}: ${event.message}` };
  }
  return { failed: "no finished event" };
}

async function main() {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    allowPositionals: true,
    options: {
      data: { type: "string" },
      stock: { type: "boolean", default: false },
      trials: { type: "string", default: "16" },
      steps: { type: "string", default: "1000" },
      batch: { type: "string", default: "128" },
      // `accuracy --backend tensorflow` gives the figure the webgpu one is compared with, on a CPU host.
      backend: { type: "string", default: "webgpu" },
    },
  });
  const dataset: DatasetSpec = values.data ? { kind: "folder", path: values.data } : "mnist";
  const configs = seedMlpConfigs(Number(values.trials), Number(values.steps), Number(values.batch), dataset);
  if (positionals[0] === "peer-configs") {
    // "learningRate seed" per line, for the PyTorch peer to train the same configs.
    for (const c of configs)
      console.log(`${(c.optimizer as { learningRate: number }).learningRate} ${c.seed}`);
    return;
  }
  const backend = values.backend as BackendName;
  const info = await prepareBackend({ backend, webgpuStockKernels: values.stock });
  print({ backend: info });
  switch (positionals[0]) {
    case "kernels":
      for (const check of await checkWebGpuKernels())
        print({ kernel: check.name, ...check, ok: check.relativeError < 1e-5 });
      return;
    case "steps": {
      const mlp: ModelSpecInput = { kind: "mlp", depth: 2, width: 512, activation: "silu" };
      const cnn: ModelSpecInput = { kind: "cnn" };
      for (const [name, model, batch] of [
        ["mlp", mlp, 256],
        ["mlp", mlp, 1024],
        ["cnn", cnn, 128],
        ["cnn", cnn, 512],
      ] as const) {
        const msPerStep = await stepTime(dataset, model, batch, 100);
        print({
          model: name,
          batch,
          msPerStep: Number(msPerStep.toFixed(3)),
          kernels: values.stock ? "stock" : "core",
        });
      }
      return;
    }
    case "accuracy":
      print({
        backend,
        run: "mlp 2x512 silu, 2000 steps",
        ...(await finalAccuracy({ dataset, steps: 2000 }, backend)),
      });
      print({
        backend,
        run: "cnn default, 1000 steps",
        ...(await finalAccuracy(
          {
            dataset,
            steps: 1000,
            model: { kind: "cnn" },
            batchSize: CNN_RECIPE.batchSize,
            optimizer: { kind: "adamw", learningRate: CNN_RECIPE.learningRate },
          },
          backend,
        )),
      });
      return;
    case "batched": {
      const configs = seedMlpConfigs(
        Number(values.trials),
        Number(values.steps),
        Number(values.batch),
        dataset,
      );
      print({ ...(await batched(configs, "webgpu")), backend: "webgpu" });
      return;
    }
    default:
      throw new Error(`unknown step "${positionals[0] ?? ""}" (kernels, steps, accuracy, batched)`);
  }
}

await main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(isCoreError(error) ? `${error.code}: ${error.message}` : `gpu-check: ${error.stack}`);
    process.exit(1);
  },
);
