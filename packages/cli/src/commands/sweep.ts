import { readFileSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import type { Sweep, SweepCreate, SweepPlotKind, SweepTrial } from "@sweeplab/sdk";
import { parse as parseYaml } from "yaml";
import { RunFailedError, UsageError } from "../errors.ts";
import { leaderboardTable, trialLine } from "../render/sweep-table.ts";
import type { Target } from "../target.ts";
import { plotFormat } from "./train.ts";

export interface SweepFlags {
  preset?: string;
  space?: string;
  method?: string;
  trials?: string;
  steps?: string;
  parallelism?: string;
  repeats?: string;
  seed?: string;
  earlyStopping?: string;
  metric?: string;
  name?: string;
  json?: boolean;
  detach?: boolean;
}

const int = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${flag} takes a whole number, got "${value}"`);
  return n;
};

/** A search space from a JSON or YAML file: `{ parameters: [...] }`, or a bare list of parameters. */
export function loadSpace(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`--space: cannot read ${file}`);
  }
  try {
    const parsed = extname(file) === ".json" ? JSON.parse(text) : parseYaml(text);
    return Array.isArray(parsed) ? { parameters: parsed } : parsed;
  } catch (error) {
    throw new UsageError(
      `--space: ${file} is not valid ${extname(file) === ".json" ? "JSON" : "YAML"}: ${(error as Error).message}`,
    );
  }
}

/** The request a `sweeplab sweep` command line makes. */
export function buildSweepRequest(flags: SweepFlags): SweepCreate {
  if (!flags.preset && !flags.space) throw new UsageError("give --preset NAME or --space FILE");
  const early = flags.earlyStopping;
  if (early && early !== "asha" && early !== "median")
    throw new UsageError(`--early-stopping takes asha or median, got "${early}"`);
  const steps = int("steps", flags.steps);
  return {
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.preset ? { preset: flags.preset as SweepCreate["preset"] } : {}),
    ...(flags.space ? { space: loadSpace(flags.space) as SweepCreate["space"] } : {}),
    ...(flags.method ? { method: flags.method as SweepCreate["method"] } : {}),
    ...(steps ? { base: { steps, evalEverySteps: Math.max(1, Math.round(steps / 8)) } } : {}),
    trials: int("trials", flags.trials),
    parallelism: int("parallelism", flags.parallelism),
    repeats: int("repeats", flags.repeats),
    seed: int("seed", flags.seed),
    ...(early
      ? {
          earlyStopping:
            early === "asha"
              ? { kind: "asha", minSteps: Math.max(1, Math.round((steps ?? 1000) / 8)) }
              : { kind: "median" },
        }
      : {}),
    ...(flags.metric ? { metric: flags.metric as SweepCreate["metric"] } : {}),
  } as SweepCreate;
}

/** Follows a sweep: a live table of its trials on a terminal (one line per change elsewhere), then the ranking. */
export async function watchSweep(
  target: Target,
  id: string,
  options: { json?: boolean } = {},
): Promise<Sweep> {
  const trials = new Map<string, SweepTrial>();
  const tty = process.stderr.isTTY && !options.json;
  let drawn = 0;
  const draw = (accuracy: boolean) => {
    const lines = [...trials.values()]
      .sort((a, b) => a.trialIndex - b.trialIndex || a.repeatIndex - b.repeatIndex)
      .map((t) => trialLine(t, accuracy));
    if (drawn) process.stderr.write(`\x1b[${drawn}A\x1b[0J`);
    process.stderr.write(`${lines.join("\n")}\n`);
    drawn = lines.length;
  };
  const controller = new AbortController();
  const cancel = () => {
    console.error(`\ncanceling sweep ${id}...`);
    controller.abort();
    void target.client.sweeps.cancel(id).catch(() => {});
  };
  process.once("SIGINT", cancel);
  try {
    const head = await target.client.sweeps.get(id);
    const accuracy = head.metric.toLowerCase().includes("accuracy");
    for await (const event of target.client.sweeps.events(id, { signal: controller.signal })) {
      if (event.type !== "trial") continue;
      trials.set(event.trial.runId, event.trial);
      if (tty) draw(accuracy);
      else if (!options.json) console.error(trialLine(event.trial, accuracy));
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    process.off("SIGINT", cancel);
  }
  const sweep = await target.client.sweeps.get(id);
  if (options.json) console.log(JSON.stringify(sweep));
  else console.log(leaderboardTable(sweep));
  if (sweep.status === "failed")
    throw new RunFailedError("SWEEP_FAILED", sweep.stopReason ?? `sweep ${id} failed`);
  return sweep;
}

export async function runSweep(target: Target, flags: SweepFlags): Promise<Sweep> {
  const created = await target.client.sweeps.create(buildSweepRequest(flags));
  if (flags.detach) {
    console.log(flags.json ? JSON.stringify(created) : created.id);
    return created;
  }
  if (!flags.json)
    console.error(
      `sweep ${created.id} on ${target.description}: ${created.trials} trials, ${created.parallelism} at a time`,
    );
  return watchSweep(target, created.id, flags);
}

export async function listSweeps(target: Target, options: { json?: boolean }) {
  const { items } = await target.client.sweeps.list();
  if (options.json) return console.log(JSON.stringify(items));
  for (const s of items) {
    const done =
      (s.runsByStatus.succeeded ?? 0) +
      (s.runsByStatus.diverged ?? 0) +
      (s.runsByStatus.failed ?? 0) +
      (s.runsByStatus.pruned ?? 0);
    console.log(
      `${s.id}  ${s.status.padEnd(9)}  ${s.method.padEnd(6)}  ${done}/${s.trials * s.repeats} runs  ${s.name ?? s.preset ?? ""}`,
    );
  }
}

export async function showSweep(
  target: Target,
  id: string,
  options: { json?: boolean; plot?: string; kind?: string },
) {
  const sweep = await target.client.sweeps.get(id);
  if (options.plot) {
    const kind = (options.kind ?? "parallel-coordinates") as SweepPlotKind;
    writeFileSync(options.plot, await target.client.sweeps.plot(id, kind, plotFormat(options.plot)));
  }
  if (options.json) return console.log(JSON.stringify(sweep));
  console.log(
    `${sweep.id}  ${sweep.status}  ${sweep.method}, ${sweep.trials} trials x ${sweep.repeats}, seed ${sweep.seed}`,
  );
  for (const t of sweep.trialRuns) console.log(trialLine(t, sweep.metric.toLowerCase().includes("accuracy")));
  console.log(leaderboardTable(sweep));
  if (sweep.best) console.log(`best config: ${JSON.stringify(sweep.best.config)}`);
}

export async function cancelSweep(target: Target, id: string) {
  const sweep = await target.client.sweeps.cancel(id);
  console.log(`${sweep.id} ${sweep.status}`);
}
