// `pnpm --filter @sweeplab/core bench-batched -- --trials 16 --steps 1000 --batch 128 --backend tensorflow`:
// trials per hour for K seed-mlp-style configs (MLP 2 x 512 SiLU, AdamW, peak learning rates log-uniform in
// [3e-4, 3e-3], one seed each) trained three ways in one run: batched (trainBatched), one by one (train()), and
// by the PyTorch peer one after the other (scripts/peers/torch_mnist.py; --device cuda on a GPU host).
// --only batched|sequential|peer runs one of them (a list, comma-separated); batched-graph, batched-eager,
// sequential-graph and sequential-eager force the execution path (otherwise each takes train()'s `auto`). Prints one
// JSON line per way, then a summary.
import { parseArgs } from "node:util";
import { BackendNameSchema } from "../backend/select.ts";
import type { Execution } from "../train/engine.ts";
import { batched, peer, seedMlpConfigs, sequential, type WayResult } from "./batched-ways.ts";

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
  const backend = BackendNameSchema.parse(values.backend);
  const configs = seedMlpConfigs(Number(values.trials), Number(values.steps), Number(values.batch));
  const ways = values.only ? values.only.split(",") : ["batched", "sequential", "peer"];
  const results: WayResult[] = [];
  for (const way of ways) {
    const [kind, forced] = way.split("-") as [string, Execution | undefined];
    const result =
      kind === "batched"
        ? await batched(configs, backend, forced)
        : kind === "sequential"
          ? await sequential(configs, backend, forced)
          : peer(configs, values.device, Number(values.threads), values.data);
    console.log(JSON.stringify({ ...result, backend: way === "peer" ? values.device : values.backend }));
    results.push(result);
  }
  console.log(`${values.trials} trials x ${values.steps} steps, batch ${values.batch}`);
  for (const r of results) {
    console.log(
      `${r.way.padEnd(16)} ${r.trialsPerHour.toFixed(1).padStart(8)} trials/h  wall ${r.wallSeconds.toFixed(1).padStart(7)} s  ${r.msPerStep.toFixed(2).padStart(8)} ms/step  ${(r.way.startsWith("batched") ? r.msPerStep / r.trials : r.msPerStep).toFixed(2).padStart(7)} ms/trial-step  mean test acc ${(r.meanTestAccuracy * 100).toFixed(2)} %  (${r.finished}/${r.trials} finished${r.detail ? `; ${r.detail}` : ""})`,
    );
  }
}

await main().catch((error: Error) => {
  console.error(`bench-batched: ${error.message}`);
  process.exitCode = 1;
});
