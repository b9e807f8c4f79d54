// Where a run's time goes outside its steps: wall and CPU time of each phase of one reference-MLP run on the
// tensorflow backend (graph or eager per SWEEPLAB_EXECUTION). Usage: tsx src/scripts/profile-run.ts [model] [steps]
import { performance } from "node:perf_hooks";

const phases: { phase: string; wallMs: number; cpuMs: number }[] = [];
async function phase<T>(name: string, what: () => Promise<T> | T): Promise<T> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const result = await what();
  const used = process.cpuUsage(cpu);
  phases.push({
    phase: name,
    wallMs: Math.round(performance.now() - wall),
    cpuMs: Math.round((used.user + used.system) / 1000),
  });
  return result;
}

const model = process.argv[2] ?? "mlp";
const steps = Number(process.argv[3] ?? 200);
const processStart = Math.round(performance.now());
const core = await phase("import core", () => import("../index.ts"));
const { prepareBackend } = core;
const { parseRunConfig } = await import("../train/run-config.ts");
const { prepareHostDatasetCached } = await import("../train/run-support.ts");
const { createGraphEngine } = await import("../train/graph-engine.ts");
const { BatchSchedule } = await import("../data/batches.ts");
await phase("prepare backend", () => prepareBackend({ backend: "tensorflow" }));
const config = parseRunConfig({ model: { kind: model }, steps });
const host = await phase("dataset (load + split)", () => prepareHostDatasetCached(config, undefined));
const engine = await phase("build graph engine", () => createGraphEngine(config, host));
await phase("train-eval 5000 (first)", () => engine.evaluate("train", 5000));
const batches = new BatchSchedule({ count: engine.dataset.trainCount, batchSize: config.batchSize, seed: 0 });
await phase("step 1", () => engine.step(batches.indices(0), 0, 1e-3).read());
await phase(`steps 2..${steps}`, async () => {
  for (let s = 1; s < steps; s++) engine.step(batches.indices(s), s, 1e-3).dispose();
});
await phase("train-eval 5000", () => engine.evaluate("train", 5000));
await phase("validation eval", () => engine.evaluate("validation"));
await phase("test eval", () => engine.evaluateTest());
await phase("weights out", () => engine.weights());
await phase("dispose", () => engine.dispose());
console.log(JSON.stringify({ model, steps, processStartMs: processStart }));
for (const p of phases)
  console.log(
    `${p.phase.padEnd(26)} wall ${String(p.wallMs).padStart(6)} ms  cpu ${String(p.cpuMs).padStart(6)} ms`,
  );
