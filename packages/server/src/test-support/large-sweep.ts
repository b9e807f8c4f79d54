// The 10,000-trial fixture: a seed-mlp random sweep written straight into a store (one transaction, many rows per
// statement, both dialects), as a finished study would have left it: each trial one run with 20 evaluations and a
// result, some pruned half way (10 evaluations, no result) or failed (no evaluation), and the last `active` trials
// still queued so the sweep stays `running` (no worker takes them: with `parallelism` equal to `active`, the
// scheduler proposes nothing more). Deterministic: the same options write the same rows.
import {
  applyParameters,
  getSweepPreset,
  type Objective,
  parseRunConfig,
  proposeRandom,
  type TrialParams,
} from "@sweeplab/core";
import type { Store, SweepRecords } from "../store/store.ts";
import type { SweepSpec } from "../sweeps/sweep-spec.ts";

export interface LargeSweepOptions {
  id: string;
  /** Default 10,000. */
  trials?: number;
  /** Evaluations of each finished trial. Default 20. */
  evals?: number;
  /** Trials left queued at the end (the sweep stays running); 0 writes a finished sweep. Default 16. */
  active?: number;
  seed?: number;
  /** When the sweep was created (ms since the epoch); each trial follows one second after the previous one. */
  createdAt?: number;
  /** Two or more make it a multi-objective sweep (its Pareto front). Default none. */
  objectives?: Objective[];
}

const EVAL_EVERY_STEPS = 50;

/** A small seeded generator (mulberry32): the fixture's noise, the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plausible final validation accuracy for a config: a smooth function of its parameters, plus seed noise. */
function finalAccuracy(params: TrialParams, noise: number): number {
  const lr = Number(params.learningRate ?? 1e-3);
  const batch = Number(params.batchSize ?? 128);
  const sgd = JSON.stringify(params).includes("sgd");
  const target = sgd ? 0.06 : 1e-3;
  const penalty = 0.01 * Math.log10(lr / target) ** 2 + 0.002 * Math.log2(batch / 128) ** 2;
  return Math.min(0.995, 0.982 - penalty + 0.0015 * (noise - 0.5) * 2);
}

export function largeSweepRecords(options: LargeSweepOptions): SweepRecords & { spec: SweepSpec } {
  const trials = options.trials ?? 10_000;
  const evals = options.evals ?? 20;
  const active = options.active ?? 16;
  const seed = options.seed ?? 0;
  const createdAt = options.createdAt ?? Date.UTC(2026, 11, 1);
  const preset = getSweepPreset("seed-mlp");
  const base = { ...preset.base, steps: EVAL_EVERY_STEPS * evals, evalEverySteps: EVAL_EVERY_STEPS };
  const spec: SweepSpec = {
    preset: "seed-mlp",
    base,
    space: preset.space,
    method: "random",
    tpe: {},
    trials,
    parallelism: Math.max(1, active),
    seed,
    repeats: 1,
    ...(options.objectives ? { objectives: options.objectives } : {}),
    earlyStopping: null,
    metric: "validationAccuracy",
    direction: "maximize",
    maxConsecutiveFailures: 100,
  };
  const random = seeded(seed + 1);
  const records: SweepRecords = {
    sweep: {
      id: options.id,
      name: `fixture: ${trials} trials`,
      status: active > 0 ? "running" : "succeeded",
      spec,
      stopReason: null,
      createdAt,
      finishedAt: active > 0 ? null : createdAt + trials * 1000,
    },
    runs: [],
    events: [],
    metrics: [],
  };
  // Every trial's config differs only in its parameters: the base is parsed once.
  const baseConfig = parseRunConfig(base);
  for (let trialIndex = 0; trialIndex < trials; trialIndex++) {
    const { params } = proposeRandom({ space: preset.space, base, seed, trialIndex });
    const config = trialIndex < 64 ? parseRunConfig(applyParameters(base, preset.space, params)) : baseConfig;
    const id = `run_${options.id}_${String(trialIndex).padStart(6, "0")}`;
    const runCreatedAt = createdAt + trialIndex * 1000;
    const queued = trialIndex >= trials - active;
    const status = queued
      ? "queued"
      : trialIndex % 25 === 7
        ? "failed"
        : trialIndex % 10 === 3
          ? "pruned"
          : "succeeded";
    const final = finalAccuracy(params, random());
    const evalCount = status === "succeeded" ? evals : status === "pruned" ? Math.floor(evals / 2) : 0;
    const step = evalCount * EVAL_EVERY_STEPS;
    const msPerStep = 2 + 4 * random();
    const finishedAt = queued ? null : runCreatedAt + 900;
    records.events.push({ runId: id, seq: 1, type: "queued", data: {}, createdAt: runCreatedAt });
    if (!queued) {
      const data =
        status === "succeeded"
          ? {
              step,
              testLoss: 0.08,
              testAccuracy: final - 0.001,
              msPerStep,
              trainSeconds: (step * msPerStep) / 1000,
              wallSeconds: 1,
            }
          : status === "pruned"
            ? { step, reason: "below the median at this step" }
            : { step: 0, code: "NON_FINITE_LOSS", message: "loss became NaN at step 3" };
      const type = status === "succeeded" ? "finished" : status;
      records.events.push({ runId: id, seq: 2, type, data, createdAt: finishedAt! } as never);
    }
    records.runs.push({
      id,
      name: `fixture #${trialIndex}`,
      tags: ["sweep"],
      status,
      config,
      sweepId: options.id,
      trialIndex,
      repeatIndex: 0,
      trial: { params, history: [] },
      attempts: queued ? 0 : 1,
      step,
      totalSteps: base.steps,
      lastSeq: queued ? 1 : 2,
      testAccuracy: status === "succeeded" ? final - 0.001 : null,
      testLoss: status === "succeeded" ? 0.08 : null,
      bestValidationAccuracy: evalCount > 0 ? final : null,
      errorCode: status === "failed" ? "NON_FINITE_LOSS" : status === "pruned" ? "PRUNED" : null,
      errorMessage:
        status === "failed"
          ? "loss became NaN at step 3"
          : status === "pruned"
            ? "below the median at this step"
            : null,
      msPerStep: queued ? null : msPerStep,
      createdAt: runCreatedAt,
      startedAt: queued ? null : runCreatedAt + 10,
      finishedAt,
    });
    for (let e = 1; e <= evalCount; e++) {
      const progress = e / evals;
      const accuracy = final - 0.08 * (1 - progress) ** 2;
      records.metrics.push({
        runId: id,
        step: e * EVAL_EVERY_STEPS,
        kind: "eval",
        learningRate: 1e-3,
        trainLoss: 0.3 * (1 - progress) + 0.02,
        trainAccuracy: accuracy + 0.003,
        validationLoss: 0.3 * (1 - progress) + 0.05,
        validationAccuracy: accuracy,
      });
    }
  }
  return { ...records, spec };
}

/** Writes the fixture sweep into `store`; returns its id and spec. */
export async function insertLargeSweep(
  store: Store,
  options: LargeSweepOptions,
): Promise<{ sweepId: string; spec: SweepSpec; runIds: string[] }> {
  const { spec, ...records } = largeSweepRecords(options);
  await store.insertSweepRecords(records);
  return { sweepId: options.id, spec, runIds: records.runs.map((r) => r.id!) };
}
