#!/usr/bin/env node
// The issue's sweep comparison, as users run each side: `sweeplab sweep --preset seed-mlp --trials N --steps S
// --seed 0` on an embedded service (default workers, a fresh data folder), timed from the command's start to its
// exit; then the PyTorch peer training the same N configs (read back from the runs) with
// `../shared/peers/torch_mnist.py trials --procs P` (one one-thread process per core, trial after trial, data
// loaded once per process, 5,000 validation images evaluated every S/8 steps). Prints both lines and the ratio.
//
//   node scripts/bench-sweep-peer.mjs [--trials 10] [--steps 1000] [--procs 2] [--rounds 1]
// The peer's python: PEER_PYTHON, else ~/.cache/sweeplab-peer-venv (../shared/peers/venv.sh), else python3.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    trials: { type: "string", default: "10" },
    steps: { type: "string", default: "1000" },
    procs: { type: "string", default: "2" },
    rounds: { type: "string", default: "1" },
  },
});
const trials = Number(values.trials);
const steps = Number(values.steps);
const peerScript = resolve(root, "../shared/peers/torch_mnist.py");
const venv = join(homedir(), ".cache/sweeplab-peer-venv/bin/python");
const python = process.env.PEER_PYTHON ?? (existsSync(venv) ? venv : "python3");
const cli = join(root, "packages/cli/bin/sweeplab.mjs");

function sweeplab(dataDir, args) {
  return execFileSync(process.execPath, [cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, SWEEPLAB_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 256 << 20,
  });
}

for (let round = 1; round <= Number(values.rounds); round++) {
  const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-bench-"));
  const started = performance.now();
  const sweep = JSON.parse(
    sweeplab(dataDir, [
      "sweep",
      "--preset",
      "seed-mlp",
      "--trials",
      String(trials),
      "--steps",
      String(steps),
      "--seed",
      "0",
      "--json",
    ]),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const runs = sweep.trialRuns
    .sort((a, b) => a.trialIndex - b.trialIndex)
    .map((t) => JSON.parse(sweeplab(dataDir, ["runs", "show", t.runId, "--json"])));
  const best = Math.max(...runs.map((r) => r.bestValidationAccuracy ?? 0));
  const stepSeconds = runs.reduce((s, r) => s + ((r.msPerStep ?? 0) * steps) / 1000, 0);
  const configs = runs.map(({ config }) => ({
    model: "mlp",
    batch: config.batchSize,
    lr: config.optimizer.learningRate,
    opt: config.optimizer.kind,
    act: config.model.activation,
    width: config.model.width,
    wd: config.optimizer.weightDecay,
    seed: config.seed,
  }));
  const configFile = join(dataDir, "configs.json");
  writeFileSync(configFile, JSON.stringify(configs));
  console.log(
    JSON.stringify({
      round,
      side: "sweeplab",
      trials,
      steps,
      wallSeconds: Number(wallSeconds.toFixed(1)),
      trialsPerHour: Number(((trials * 3600) / wallSeconds).toFixed(1)),
      bestValidationAccuracy: best,
      stepSecondsAllTrials: Number(stepSeconds.toFixed(1)),
      backend: runs[0]?.environment?.backend?.name,
      execution: runs[0]?.environment?.backend?.execution,
    }),
  );
  const peer = spawnSync(
    python,
    [
      peerScript,
      "trials",
      "--configs",
      configFile,
      "--procs",
      values.procs,
      "--steps",
      String(steps),
      "--eval-every",
      String(steps / 8),
    ],
    { cwd: root, encoding: "utf8" },
  );
  if (peer.status !== 0) throw new Error(`peer failed: ${peer.stderr.trim().split("\n").pop()}`);
  const peerResult = JSON.parse(peer.stdout.trim().split("\n").pop());
  console.log(JSON.stringify({ round, side: "peer", ...peerResult }));
  const peerPerHour = peerResult.trials_per_hour ?? (trials * 3600) / peerResult.wall_s;
  console.log(
    `round ${round}: sweeplab ${((trials * 3600) / wallSeconds).toFixed(1)} trials/h, peer ${Number(peerPerHour).toFixed(1)} trials/h: ${((trials * 3600) / wallSeconds / peerPerHour).toFixed(2)}x`,
  );
  rmSync(dataDir, { recursive: true, force: true });
}
