// The PyTorch peer (scripts/peers/torch_mnist.py) training the configs a sweep proposed, one process per config,
// one after the other, as a user without sweeplab would.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ResolvedRunConfig } from "@sweeplab/sdk";

const ROOT = resolve(import.meta.dirname, "../../../..");

export interface PeerTrial {
  trialIndex: number;
  testAccuracy: number;
  /** The process's wall time, start-up and data loading included. */
  wallSeconds: number;
  /** Its own training loop's time (`train_wall_s`). */
  trainSeconds: number;
  medianStepMs: number;
}

/** The peer's command line for one resolved config (an MLP; SGD is momentum 0.9 there, as in the presets). */
export function peerArgs(config: ResolvedRunConfig, threads: number): string[] {
  const { model, optimizer } = config;
  if (model.kind !== "mlp") throw new Error(`the peer comparison covers MLP sweeps, not ${model.kind}`);
  if (model.depth !== 2) throw new Error(`the peer's MLP has 2 hidden layers, this config ${model.depth}`);
  if (optimizer.kind === "sgd" && optimizer.momentum !== 0.9)
    throw new Error(`the peer's SGD has momentum 0.9, this config ${optimizer.momentum}`);
  return [
    ...["train", "--model", "mlp", "--act", model.activation, "--width", String(model.width)],
    ...[
      "--opt",
      optimizer.kind,
      "--lr",
      String(optimizer.learningRate),
      "--wd",
      String(optimizer.weightDecay),
    ],
    ...["--steps", String(config.steps), "--batch", String(config.batchSize), "--seed", String(config.seed)],
    ...["--threads", String(threads)],
  ];
}

export function runPeer(trialIndex: number, config: ResolvedRunConfig, threads: number): PeerTrial {
  const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const started = performance.now();
  const r = spawnSync(python, [join(ROOT, "scripts/peers/torch_mnist.py"), ...peerArgs(config, threads)], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`peer failed: ${r.stderr.trim().split("\n").pop()}`);
  const line = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as {
    test_accuracy: number;
    train_wall_s: number;
    median_step_ms: number;
  };
  return {
    trialIndex,
    testAccuracy: line.test_accuracy,
    wallSeconds,
    trainSeconds: line.train_wall_s,
    medianStepMs: line.median_step_ms,
  };
}
