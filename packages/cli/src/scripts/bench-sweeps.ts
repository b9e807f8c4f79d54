// `pnpm --filter @sweeplab/cli bench-sweeps -- <peer|workers|asha|tpe> [flags]`: sweeps and the run engine measured
// on a real service (the server started on port 0 over a temporary SQLite folder with local workers, or an API on
// PostgreSQL with `sweeplab worker` processes), driven through the SDK. Sweeps are made as `sweeplab sweep` makes
// them (buildSweepRequest: evaluation every steps/8, ASHA's first rung at steps/8). Prints one JSON line per
// measurement, then a markdown table.
//
//   peer     a seed-mlp sweep, then the PyTorch peer training the same configs one after the other
//   workers  the same sweep at 1 and 2 workers (same configs asserted), and runs/hour for short runs with 1 and 2
//            local workers on SQLite and two `sweeplab worker` processes on PostgreSQL (TEST_DATABASE_URL)
//   asha     the same seed-mlp sweep with ASHA and without early stopping: steps trained, best accuracies
//   tpe      TPE against random at an equal budget over several sweep seeds: mean best-so-far
import { parseArgs } from "node:util";
import type { ResolvedRunConfig, Sweep, SweepCreate, SweeplabClient } from "@sweeplab/sdk";
import { buildSweepRequest } from "../commands/sweep.ts";
import { type BenchService, startBenchService, startPostgresBench, withService } from "./bench-service.ts";
import {
  bestSoFar,
  bestTrial,
  configsKey,
  markdownTable,
  meanCurve,
  percent,
  perHour,
  quarterPoints,
  totalTrainedSteps,
} from "./sweep-figures.ts";
import { type PeerTrial, runPeer } from "./sweep-peer.ts";

const FLAGS = {
  trials: { type: "string" },
  steps: { type: "string" },
  seed: { type: "string", default: "0" },
  seeds: { type: "string", default: "0,1,2" },
  workers: { type: "string", default: "1" },
  threads: { type: "string" },
  parallelism: { type: "string" },
  "peer-threads": { type: "string", default: "1" },
  runs: { type: "string", default: "8" },
  "run-steps": { type: "string", default: "300" },
  startup: { type: "string", default: "5" },
  only: { type: "string" },
  "database-url": { type: "string" },
} as const;

type Flags = { [K in keyof typeof FLAGS]?: string };

const int = (flags: Flags, name: keyof Flags, fallback: number): number => {
  const raw = flags[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number, got "${raw}"`);
  return n;
};

/** TensorFlow threads per worker: the flag, else the cores shared out (2 workers on 2 cores: 1 each). */
const threadsFor = (flags: Flags, workers: number) =>
  flags.threads ? int(flags, "threads", 1) : Math.max(1, Math.floor(2 / Math.max(1, workers)));

const print = (line: object) => console.log(JSON.stringify(line));
const seconds = (s: number) => `${s.toFixed(1)} s`;
const rate = (r: number) => r.toFixed(1);

interface SweepResult {
  sweep: Sweep;
  wallSeconds: number;
  trialsPerHour: number;
  totalSteps: number;
  pruned: number;
  bestValidation: number | null;
  bestTest: number | null;
  bestTrialIndex: number | null;
  curve: (number | null)[];
}

/** Creates a seed-mlp sweep as `sweeplab sweep --preset seed-mlp ...` would and waits for its end. */
async function runSweep(
  client: SweeplabClient,
  request: {
    trials: number;
    steps: number;
    seed: number;
    parallelism: number;
    method?: string;
    asha?: boolean;
  },
  extra: Partial<SweepCreate> = {},
): Promise<SweepResult> {
  const body = {
    ...buildSweepRequest({
      preset: "seed-mlp",
      trials: String(request.trials),
      steps: String(request.steps),
      seed: String(request.seed),
      parallelism: String(request.parallelism),
      ...(request.method ? { method: request.method } : {}),
      ...(request.asha ? { earlyStopping: "asha" } : {}),
    }),
    ...extra,
  };
  const started = performance.now();
  const created = await client.sweeps.create(body);
  const sweep = await client.sweeps.wait(created.id);
  const wallSeconds = (performance.now() - started) / 1000;
  if (sweep.status !== "succeeded") throw new Error(`sweep ${sweep.id} ${sweep.status}: ${sweep.stopReason}`);
  const trials = sweep.trialRuns;
  const best = bestTrial(trials);
  const bestRun = best ? await client.runs.get(best.runId) : undefined;
  return {
    sweep,
    wallSeconds,
    trialsPerHour: perHour(trials.length, wallSeconds),
    totalSteps: totalTrainedSteps(trials),
    pruned: trials.filter((t) => t.status === "pruned").length,
    bestValidation: best?.value ?? null,
    bestTest: bestRun?.testAccuracy ?? null,
    bestTrialIndex: best?.trialIndex ?? null,
    curve: bestSoFar(trials),
  };
}

function sweepLine(bench: string, label: string, r: SweepResult, extra: object = {}) {
  print({
    bench,
    label,
    sweepId: r.sweep.id,
    method: r.sweep.method,
    seed: r.sweep.seed,
    trials: r.sweep.trialRuns.length,
    earlyStopping: r.sweep.earlyStopping,
    wallSeconds: Number(r.wallSeconds.toFixed(1)),
    trialsPerHour: Number(r.trialsPerHour.toFixed(1)),
    totalSteps: r.totalSteps,
    pruned: r.pruned,
    bestValidationAccuracy: r.bestValidation,
    bestTestAccuracy: r.bestTest,
    bestTrialIndex: r.bestTrialIndex,
    trialsByIndex: r.sweep.trialRuns.map((t) => ({
      i: t.trialIndex,
      status: t.status,
      step: t.step,
      value: t.value,
      params: t.params,
    })),
    ...extra,
  });
}

async function peer(flags: Flags) {
  const trials = int(flags, "trials", 10);
  const steps = int(flags, "steps", 1000);
  const workers = int(flags, "workers", 1);
  const threads = threadsFor(flags, workers);
  const peerThreads = int(flags, "peer-threads", 1);
  const request = { trials, steps, seed: int(flags, "seed", 0), parallelism: int(flags, "parallelism", 2) };
  let serviceStartSeconds = 0;
  const { result, configs } = await withService(
    async () => {
      const started = performance.now();
      const service = await startBenchService({ workers, threads });
      serviceStartSeconds = (performance.now() - started) / 1000;
      return service;
    },
    async ({ client }) => {
      const result = await runSweep(client, request);
      const configs = await Promise.all(
        [...result.sweep.trialRuns]
          .sort((a, b) => a.trialIndex - b.trialIndex)
          .map(async (t) => ({ trialIndex: t.trialIndex, config: (await client.runs.get(t.runId)).config })),
      );
      return { result, configs };
    },
  );
  // The trials' training loops alone (median ms/step x steps): no evaluations, data loading or scheduling.
  const stepSeconds = result.sweep.trialRuns.reduce((s, t) => s + ((t.msPerStep ?? 0) * t.step) / 1000, 0);
  sweepLine("peer", `sweeplab ${workers} worker(s) x ${threads} thread(s)`, result, {
    workers,
    threads,
    serviceStartSeconds: Number(serviceStartSeconds.toFixed(1)),
    stepSeconds: Number(stepSeconds.toFixed(1)),
  });
  const peerTrials: PeerTrial[] = configs.map(({ trialIndex, config }) =>
    runPeer(trialIndex, config as ResolvedRunConfig, peerThreads),
  );
  const peerWall = peerTrials.reduce((s, t) => s + t.wallSeconds, 0);
  const peerTrain = peerTrials.reduce((s, t) => s + t.trainSeconds, 0);
  const peerBest = Math.max(...peerTrials.map((t) => t.testAccuracy));
  const peerAtBest = peerTrials.find((t) => t.trialIndex === result.bestTrialIndex)?.testAccuracy ?? null;
  print({
    bench: "peer",
    label: `torch ${peerThreads} thread(s), one process per config`,
    trials: peerTrials.length,
    wallSeconds: Number(peerWall.toFixed(1)),
    trainSeconds: Number(peerTrain.toFixed(1)),
    trialsPerHour: Number(perHour(peerTrials.length, peerWall).toFixed(1)),
    trialsPerHourTrainOnly: Number(perHour(peerTrials.length, peerTrain).toFixed(1)),
    bestTestAccuracy: peerBest,
    testAccuracyOfSweeplabBestConfig: peerAtBest,
    trialsByIndex: peerTrials.map((t) => ({ ...t, wallSeconds: Number(t.wallSeconds.toFixed(1)) })),
  });
  console.log(
    `\n${trials}-trial seed-mlp sweep at ${steps} steps, seed ${request.seed} (peer: the same ${trials} configs); sweeplab's wall is from the sweep's creation to its end on a started service (start-up: ${seconds(serviceStartSeconds)})\n`,
  );
  console.log(
    markdownTable(
      ["who", "wall", "trials/h", "best val acc", "test acc of best", "best test acc"],
      [
        [
          `sweeplab, ${workers} worker(s) x ${threads} thread(s), parallelism ${request.parallelism}`,
          seconds(result.wallSeconds),
          rate(result.trialsPerHour),
          percent(result.bestValidation),
          percent(result.bestTest),
          "",
        ],
        [
          "sweeplab, training steps only (median ms/step x steps)",
          seconds(stepSeconds),
          rate(perHour(result.sweep.trialRuns.length, stepSeconds)),
          "",
          "",
          "",
        ],
        [
          `PyTorch peer, ${peerThreads} thread(s), process wall`,
          seconds(peerWall),
          rate(perHour(peerTrials.length, peerWall)),
          "-",
          percent(peerAtBest),
          percent(peerBest),
        ],
        [
          "PyTorch peer, train loop only",
          seconds(peerTrain),
          rate(perHour(peerTrials.length, peerTrain)),
          "-",
          "",
          "",
        ],
      ],
    ),
  );
}

/** `count` short runs (the default MLP, seeds 0..count-1) submitted at once; runs/hour from first submit to last end. */
async function shortRuns(client: SweeplabClient, count: number, steps: number) {
  const started = performance.now();
  const ids = await Promise.all(
    Array.from(
      { length: count },
      async (_, seed) => (await client.runs.create({ config: { steps, seed } })).id,
    ),
  );
  const runs = await Promise.all(ids.map((id) => client.runs.wait(id)));
  const wallSeconds = (performance.now() - started) / 1000;
  const failed = runs.filter((r) => r.status !== "succeeded");
  if (failed.length)
    throw new Error(`runs not succeeded: ${failed.map((r) => `${r.id} ${r.status}`).join(", ")}`);
  return { wallSeconds, runsPerHour: perHour(count, wallSeconds), msPerStep: runs.map((r) => r.msPerStep) };
}

async function workersBench(flags: Flags) {
  const only = flags.only?.split(",") ?? ["sweep", "runs", "postgres"];
  const trials = int(flags, "trials", 6);
  const steps = int(flags, "steps", 500);
  const runCount = int(flags, "runs", 8);
  const runSteps = int(flags, "run-steps", 300);
  const request = { trials, steps, seed: int(flags, "seed", 0), parallelism: 2 };
  const rows: string[][] = [];
  if (only.includes("sweep")) {
    const keys: string[] = [];
    for (const workers of [1, 2]) {
      const threads = threadsFor(flags, workers);
      const r = await withService(
        () => startBenchService({ workers, threads }),
        ({ client }) => runSweep(client, request),
      );
      keys.push(configsKey(r.sweep.trialRuns));
      sweepLine("workers", `sweep, ${workers} worker(s) x ${threads} thread(s)`, r, { workers, threads });
      rows.push([
        `${trials}-trial seed-mlp sweep, ${steps} steps, parallelism 2`,
        `${workers} local x ${threads} thread(s), SQLite`,
        seconds(r.wallSeconds),
        `${rate(r.trialsPerHour)} trials/h`,
      ]);
    }
    if (keys[0] !== keys[1])
      throw new Error("the same sweep seed proposed different configs at 1 and 2 workers");
    print({ bench: "workers", sameConfigsAt1And2Workers: true });
  }
  const runsRow = async (where: string, start: () => Promise<BenchService>) => {
    const r = await withService(start, ({ client }) => shortRuns(client, runCount, runSteps));
    print({ bench: "workers", label: `${runCount} runs, ${where}`, runSteps, ...r });
    rows.push([
      `${runCount} runs, MLP ${runSteps} steps`,
      where,
      seconds(r.wallSeconds),
      `${rate(r.runsPerHour)} runs/h`,
    ]);
  };
  if (only.includes("runs")) {
    for (const workers of [1, 2]) {
      const threads = threadsFor(flags, workers);
      await runsRow(`${workers} local x ${threads} thread(s), SQLite`, () =>
        startBenchService({ workers, threads }),
      );
    }
  }
  if (only.includes("postgres")) {
    const adminUrl = flags["database-url"] ?? process.env.TEST_DATABASE_URL;
    if (!adminUrl) {
      print({ bench: "workers", skipped: "postgres: set TEST_DATABASE_URL or --database-url" });
    } else {
      const threads = threadsFor(flags, 2);
      await runsRow(`2 \`sweeplab worker\` processes x ${threads} thread(s), PostgreSQL`, () =>
        startPostgresBench({ adminUrl, hosts: 2, threads }),
      );
    }
  }
  console.log("");
  console.log(markdownTable(["what", "workers", "wall", "throughput"], rows));
}

async function asha(flags: Flags) {
  const trials = int(flags, "trials", 16);
  const steps = int(flags, "steps", 1000);
  const workers = int(flags, "workers", 1);
  const threads = threadsFor(flags, workers);
  const request = { trials, steps, seed: int(flags, "seed", 0), parallelism: int(flags, "parallelism", 1) };
  const [none, pruned] = await withService(
    () => startBenchService({ workers, threads }),
    async ({ client }) => [
      await runSweep(client, request),
      await runSweep(client, { ...request, asha: true }),
    ],
  );
  if (configsKey(none!.sweep.trialRuns) !== configsKey(pruned!.sweep.trialRuns))
    throw new Error("the two sweeps proposed different configs");
  sweepLine("asha", "no early stopping", none!, { workers, threads });
  sweepLine("asha", "asha", pruned!, { workers, threads });
  const difference = (a: number | null, b: number | null) =>
    a === null || b === null ? null : Number(((a - b) * 100).toFixed(2));
  print({
    bench: "asha",
    stepsSavedShare: Number((1 - pruned!.totalSteps / none!.totalSteps).toFixed(3)),
    bestValidationDifferencePoints: difference(pruned!.bestValidation, none!.bestValidation),
    bestTestDifferencePoints: difference(pruned!.bestTest, none!.bestTest),
  });
  console.log(
    `\n${trials}-trial seed-mlp sweep at ${steps} steps, seed ${request.seed}, the same configs both times; ASHA ${JSON.stringify(pruned!.sweep.earlyStopping)}\n`,
  );
  console.log(
    markdownTable(
      ["early stopping", "steps trained", "pruned", "wall", "best val acc (trial)", "test acc of best"],
      [none!, pruned!].map((r) => [
        r.sweep.earlyStopping ? "ASHA" : "none",
        String(r.totalSteps),
        String(r.pruned),
        seconds(r.wallSeconds),
        `${percent(r.bestValidation)} (#${r.bestTrialIndex})`,
        percent(r.bestTest),
      ]),
    ),
  );
}

async function tpe(flags: Flags) {
  const trials = int(flags, "trials", 16);
  const steps = int(flags, "steps", 500);
  const workers = int(flags, "workers", 1);
  const threads = threadsFor(flags, workers);
  const startup = int(flags, "startup", 5);
  const seeds = (flags.seeds ?? "0,1,2").split(",").map(Number);
  const parallelism = int(flags, "parallelism", 1);
  const curves: Record<"random" | "tpe", (number | null)[][]> = { random: [], tpe: [] };
  await withService(
    () => startBenchService({ workers, threads }),
    async ({ client }) => {
      for (const seed of seeds) {
        for (const method of ["random", "tpe"] as const) {
          const r = await runSweep(
            client,
            { trials, steps, seed, parallelism, method },
            method === "tpe" ? { tpe: { nStartupTrials: startup } } : {},
          );
          sweepLine("tpe", method, r, {
            workers,
            threads,
            nStartupTrials: method === "tpe" ? startup : null,
          });
          curves[method].push(r.curve);
        }
      }
    },
  );
  const mean = { random: meanCurve(curves.random), tpe: meanCurve(curves.tpe) };
  print({ bench: "tpe", seeds, trials, steps, nStartupTrials: startup, meanBestSoFar: mean });
  console.log(
    `\nmean best validation accuracy after trial n, ${seeds.length} sweep seeds (${seeds.join(", ")}), ${trials} trials x ${steps} steps, TPE's first ${startup} trials random\n`,
  );
  const points = quarterPoints(trials);
  console.log(
    markdownTable(
      ["method", ...points.map((n) => `after ${n}`)],
      (["random", "tpe"] as const).map((m) => [m, ...points.map((n) => percent(mean[m][n - 1]))]),
    ),
  );
}

async function main() {
  const [command, ...rest] = process.argv.slice(2).filter((a) => a !== "--");
  const { values } = parseArgs({ args: rest, options: FLAGS, strict: true, allowPositionals: false });
  const flags = values as Flags;
  switch (command) {
    case "peer":
      return peer(flags);
    case "workers":
      return workersBench(flags);
    case "asha":
      return asha(flags);
    case "tpe":
      return tpe(flags);
    default:
      throw new Error(`usage: bench-sweeps peer|workers|asha|tpe [flags] (got "${command ?? ""}")`);
  }
}

await main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench-sweeps: ${error.message}`);
    process.exit(1);
  },
);
