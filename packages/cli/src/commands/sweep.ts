import { readFileSync, writeFileSync } from "node:fs";
import { extname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Objective } from "@sweeplab/contract";
import { PLOT_KINDS, TERMINAL_STATUSES } from "@sweeplab/contract";
import type { Sweep, SweepCreate, SweepPlotKind, SweepTrial } from "@sweeplab/sdk";
import { parse as parseYaml } from "yaml";
import { InterruptedError, RunFailedError, UsageError } from "../errors.ts";
import { LiveSweepTable } from "../render/live-sweep-table.ts";
import { paretoTable } from "../render/pareto-table.ts";
import { progressLine } from "../render/sweep-progress.ts";
import { leaderboardTable, trialLine } from "../render/sweep-table.ts";
import type { Target } from "../target.ts";
import { budgetFromFlags } from "./sweep-budget.ts";
import { plotFormat } from "./train.ts";
import { backendProblemWhileQueued } from "./wait-run.ts";

export interface SweepFlags {
  preset?: string;
  space?: string;
  method?: string;
  trials?: string;
  steps?: string;
  parallelism?: string;
  repeats?: string;
  maxRepeats?: string;
  /** Parsed by main.ts (objective-flags.ts), in the order given. */
  objective?: Objective[];
  seed?: string;
  earlyStopping?: string;
  metric?: string;
  name?: string;
  json?: boolean;
  detach?: boolean;
  /** An earlier sweep whose finished trials seed the sampler. */
  warmStart?: string;
  budgetMinutes?: string;
  maxTrials?: string;
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
      // The YAML parser's message goes on with a drawing of the line: one line is what the CLI prints.
      `--space: ${file} is not valid ${extname(file) === ".json" ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]?.replace(/:$/, "")}`,
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
  const objectives = flags.objective ?? [];
  const repeated = objectives.find((o, i) => objectives.findIndex((p) => p.metric === o.metric) !== i);
  if (repeated) throw new UsageError(`--objective names ${repeated.metric} twice`);
  if (flags.method === "motpe" && objectives.length < 2)
    throw new UsageError("--method motpe searches two or more objectives: give --objective twice or more");
  if (flags.maxRepeats !== undefined && flags.repeats !== "auto")
    throw new UsageError("--max-repeats goes with --repeats auto");
  const budget = budgetFromFlags(flags);
  return {
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.preset ? { preset: flags.preset as SweepCreate["preset"] } : {}),
    ...(flags.space ? { space: loadSpace(flags.space) as SweepCreate["space"] } : {}),
    ...(flags.method ? { method: flags.method as SweepCreate["method"] } : {}),
    ...(steps ? { base: { steps, evalEverySteps: Math.max(1, Math.round(steps / 8)) } } : {}),
    trials: int("trials", flags.trials),
    parallelism: int("parallelism", flags.parallelism),
    repeats: flags.repeats === "auto" ? "auto" : int("repeats", flags.repeats),
    ...(flags.maxRepeats !== undefined ? { maxRepeats: int("max-repeats", flags.maxRepeats) } : {}),
    ...(objectives.length > 0 ? { objectives } : {}),
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
    ...(flags.warmStart ? { warmStartFrom: flags.warmStart } : {}),
    ...(budget ? { budget } : {}),
  } as SweepCreate;
}

export interface WatchOptions {
  json?: boolean;
  /** Ctrl-C cancels the sweep (it does for the command that started it); otherwise it only stops watching. */
  cancelOnInterrupt?: boolean;
}

/** How long Ctrl-C waits for a canceled sweep's training runs to stop before it leaves them to the service. */
const CANCEL_WAIT_MS = 30_000;
/** The terminal's width when stdout is one; piped output keeps one line per config. */
const terminalWidth = () => (process.stdout.isTTY ? Math.max(40, process.stdout.columns - 1) : undefined);
const isActive = (t: SweepTrial) => t.status === "queued" || t.status === "running";

/**
 * Follows a sweep: a live table of its trials, then its leaderboard. Ctrl-C either cancels the sweep and waits for
 * its training runs to stop, as Ctrl-C does to `sweeplab train` (exit 1, CANCELED), or only stops watching: the
 * sweep goes on, on the service or, embedded, the next time the data folder is served or watched (exit 130).
 */
export async function watchSweep(target: Target, id: string, options: WatchOptions = {}): Promise<Sweep> {
  const head = await target.client.sweeps.get(id);
  const accuracy = head.metric.toLowerCase().includes("accuracy");
  const table = options.json ? undefined : new LiveSweepTable(accuracy);
  const detach = new AbortController();
  let canceling: Promise<unknown> | undefined;
  const interrupt = () => {
    if (options.cancelOnInterrupt) {
      console.error(`\ncanceling sweep ${id} (Ctrl-C again to stop at once)...`);
      canceling = target.client.sweeps.cancel(id).catch(() => {});
    } else {
      detach.abort();
    }
  };
  process.once("SIGINT", interrupt);
  // As for `train`: while none of its trials trains, ask whether any worker can; if none can, stop.
  const blocked = new AbortController();
  let problem: string | undefined;
  const stillQueued = async () => {
    const sweep = await target.client.sweeps.get(id).catch(() => undefined);
    if (sweep?.status !== "running" || sweep.trialRuns.some((t) => t.status === "running")) return false;
    return sweep.trialRuns.some((t) => t.status === "queued");
  };
  const watching = backendProblemWhileQueued(
    target.client,
    stillQueued,
    AbortSignal.any([blocked.signal, detach.signal]),
  ).then((found) => {
    problem = found;
    if (found) blocked.abort();
  });
  try {
    const signal = AbortSignal.any([detach.signal, blocked.signal]);
    for await (const event of target.client.sweeps.events(id, { signal })) {
      if (event.type === "trial") table?.update(event.trial);
    }
  } catch (error) {
    if (!detach.signal.aborted && problem === undefined) throw error;
  } finally {
    process.off("SIGINT", interrupt);
    blocked.abort();
    await watching;
  }
  if (problem !== undefined) {
    table?.finish();
    throw new RunFailedError(
      "BACKEND_UNAVAILABLE",
      `${problem}; sweep ${id} stays running, its trials queued for a worker that can train them`,
    );
  }
  if (detach.signal.aborted) {
    table?.finish();
    throw new InterruptedError(
      `stopped watching sweep ${id}; it goes on (sweeplab sweep watch ${id}${target.embeddedDataDir ? `, or sweeplab serve on ${target.embeddedDataDir}` : ""})`,
    );
  }
  await canceling;
  let sweep = await target.client.sweeps.get(id);
  // Canceled runs stop at their worker's next step; closing an embedded service before that would hand them back.
  for (
    const deadline = Date.now() + CANCEL_WAIT_MS;
    sweep.trialRuns.some(isActive) && Date.now() < deadline;
  ) {
    await sleep(250);
    sweep = await target.client.sweeps.get(id);
    for (const trial of sweep.trialRuns) table?.update(trial);
  }
  table?.finish();
  if (options.json) console.log(JSON.stringify(sweep));
  else console.log(withFront(sweep, leaderboardTable(sweep, terminalWidth())));
  if (sweep.status === "failed")
    throw new RunFailedError("SWEEP_FAILED", sweep.stopReason ?? `sweep ${id} failed`);
  if (sweep.status === "canceled")
    throw new RunFailedError("CANCELED", `sweep ${id} canceled: ${sweep.stopReason ?? ""}`.trim());
  return sweep;
}

export async function runSweep(target: Target, flags: SweepFlags): Promise<Sweep> {
  const created = await target.client.sweeps.create(buildSweepRequest(flags));
  if (flags.detach) {
    console.log(flags.json ? JSON.stringify(created) : created.id);
    if (target.embeddedDataDir && !flags.json)
      console.error(
        `sweep ${created.id} is stored in ${target.embeddedDataDir}: it trains while \`sweeplab serve\` or \`sweeplab sweep watch ${created.id}\` runs on that folder`,
      );
    return created;
  }
  if (!flags.json)
    console.error(
      `sweep ${created.id} on ${target.description}: ${created.trials} trials, ${created.parallelism} at a time (Ctrl-C cancels it)`,
    );
  return watchSweep(target, created.id, { json: flags.json, cancelOnInterrupt: true });
}

export async function listSweeps(target: Target, options: { json?: boolean }) {
  const { items } = await target.client.sweeps.list();
  if (options.json) return console.log(JSON.stringify(items));
  console.log(
    `${"id".padEnd(24)}  ${"status".padEnd(9)}  ${"method".padEnd(6)}  ${"runs ended".padEnd(10)}  name`,
  );
  for (const s of items) {
    const ended = TERMINAL_STATUSES.reduce((sum, status) => sum + (s.runsByStatus[status] ?? 0), 0);
    // With adaptive repeats: one run per config, plus the further seeds racing asked for so far.
    const runs = Object.values(s.runsByStatus).reduce((sum, n) => sum + n, 0);
    const total = s.adaptiveRepeats ? Math.max(s.trials, runs) : s.trials * s.repeats;
    console.log(
      `${s.id.padEnd(24)}  ${s.status.padEnd(9)}  ${s.method.padEnd(6)}  ${`${ended}/${total}`.padEnd(10)}  ${s.name ?? s.preset ?? ""}`,
    );
  }
}

export async function showSweep(
  target: Target,
  id: string,
  options: { json?: boolean; plot?: string; kind?: string },
) {
  if (options.kind && !options.plot) throw new UsageError("--kind names the plot that --plot FILE saves");
  const kind = options.kind ?? "parallel-coordinates";
  if (!(PLOT_KINDS as readonly string[]).includes(kind))
    throw new UsageError(`--kind takes ${PLOT_KINDS.join(", ")}; got "${kind}"`);
  const format = options.plot ? plotFormat(options.plot) : undefined;
  const sweep = await target.client.sweeps.get(id);
  if (options.plot && format) {
    writeFileSync(options.plot, await target.client.sweeps.plot(id, kind as SweepPlotKind, format));
    if (!options.json) console.error(`wrote ${options.plot}`);
  }
  if (options.json) return console.log(JSON.stringify(sweep));
  console.log(
    `${sweep.id}  ${sweep.status}  ${sweep.method}, ${sweep.trials} trials x ${sweep.adaptiveRepeats ? `up to ${sweep.repeats} (auto)` : sweep.repeats}, seed ${sweep.seed}`,
  );
  const progress = progressLine(sweep);
  if (progress) console.log(progress);
  for (const t of sweep.trialRuns) console.log(trialLine(t, sweep.metric.toLowerCase().includes("accuracy")));
  console.log(withFront(sweep, leaderboardTable(sweep, terminalWidth())));
  if (sweep.best) console.log(`best config: ${JSON.stringify(sweep.best.config)}`);
}

/** The leaderboard, then the Pareto front of a multi-objective sweep. */
function withFront(sweep: Sweep, leaderboard: string): string {
  return sweep.pareto ? `${leaderboard}\n\n${paretoTable(sweep.pareto)}` : leaderboard;
}

export async function cancelSweep(target: Target, id: string) {
  const sweep = await target.client.sweeps.cancel(id);
  console.log(`${sweep.id} ${sweep.status}`);
}
