#!/usr/bin/env node
// The sweeplab command line: argument parsing, target resolution (flag, then environment, then embedded), and
// the place that turns a command's end into the exit status (only `serve` and `worker` also exit themselves, 130
// on a second Ctrl-C while they shut down). Errors print as `CODE: detail`; exit 1 for failures, 2 for usage.
import { isApiError } from "@sweeplab/sdk";
import { Command, CommanderError, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { cancelRun, exportRun, listRuns, plotRun, removeRun, showRun, watchRun } from "./commands/runs.ts";
import { showStatus } from "./commands/status.ts";
import { train } from "./commands/train.ts";
import { buildRunConfig, type TrainFlags } from "./commands/train-config.ts";
import { InterruptedError, RunFailedError, UsageError } from "./errors.ts";
import { openTarget, type Target } from "./target.ts";

const program = new Command("sweeplab")
  .description("Train and compare MNIST classifiers, here or on a remote (GPU) host")
  .version(packageJson.version)
  .option("--host <url>", "a sweeplab service (default: $SWEEPLAB_URL, else an embedded one)")
  .option("--token <token>", "bearer token for the service (default: $SWEEPLAB_TOKEN)")
  .option("--data-dir <dir>", "embedded mode's data folder (default: $SWEEPLAB_DATA_DIR or ~/.sweeplab)")
  .exitOverride()
  .configureOutput({ outputError: (message, write) => write(`USAGE: ${message.replace(/^error: /, "")}`) });

/**
 * Training processes for an embedded service: WORKERS, else `fallback` (none would leave the work queued forever).
 * `auto` is the service's: one worker per core, at most 4, each with its share of the cores.
 */
function localWorkers(value: string | undefined, fallback: number | "auto"): number | "auto" {
  if (value === undefined || value === "") return fallback;
  if (value === "auto") return "auto";
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`WORKERS takes a whole number of at least 1 to train here, got "${value}"`);
  return n;
}

/**
 * Commands that read need no training processes in embedded mode; those that train (or wait on training) do:
 * `one-run` (train, runs watch) one worker with every core, since a single run trains on one worker only (the
 * graph step takes 9 ms on two threads where it takes 15 on one: BENCHMARKS.md); `many` (sweeps) the service's auto.
 */
async function withTarget<T>(
  run: (target: Target) => Promise<T>,
  trains: false | "one-run" | "many" = false,
): Promise<T> {
  const globals = program.opts<{ host?: string; token?: string; dataDir?: string }>();
  const target = await openTarget({
    host: globals.host ?? process.env.SWEEPLAB_URL,
    token: globals.token ?? process.env.SWEEPLAB_TOKEN,
    dataDir: globals.dataDir ?? process.env.SWEEPLAB_DATA_DIR,
    workers: trains ? localWorkers(process.env.WORKERS, trains === "one-run" ? 1 : "auto") : 0,
  });
  try {
    return await run(target);
  } finally {
    await target.close();
  }
}

program
  .command("train")
  .description(
    "train one model; STEPS, BATCH, LR_MAX, ACT, WIDTH, WD and OPT set defaults, as in the reference study",
  )
  .addOption(new Option("--model <kind>", "mlp or cnn").default("mlp"))
  .option("--depth <n>", "MLP hidden layers (1-4)")
  .option("--width <n>", "MLP hidden width")
  .option("--act <name>", "relu, silu, gelu, tanh or sigmoid")
  .option("--opt <name>", "adamw or sgd")
  .option("--lr <rate>", "peak learning rate")
  .option("--wd <decay>", "weight decay")
  .option("--batch <n>", "batch size")
  .option("--steps <n>", "optimizer steps")
  .option("--dataset <name>", "mnist, fashion-mnist or a folder of IDX files")
  .option("--augment", "random shifts and rotations")
  .option("--batch-norm", "CNN batch normalisation")
  .option("--dropout <p>", "dropout probability")
  .option("--seed <n>", "random seed")
  .option("--eval-every <n>", "steps between evaluations")
  .option("--validation-size <n>", "training images held out for validation (0: train on all)")
  .option("--name <name>", "a name for the run")
  .option("--tag <tag...>", "tags for the run")
  .option("--plot <file>", "save the curves to a .png or .svg file")
  .option("--json", "print the finished run as JSON")
  .option("--detach", "only submit; print the run id")
  .action(
    async (
      flags: TrainFlags & { plot?: string; json?: boolean; detach?: boolean; name?: string; tag?: string[] },
    ) => {
      const config = buildRunConfig(flags, process.env);
      await withTarget((target) => train(target, config, flags), "one-run");
      return;
    },
  );

const runs = program.command("runs").description("list and manage runs");
runs
  .command("ls")
  .option("--status <status>")
  .option("--tag <tag>")
  .option("--limit <n>")
  .option("--json")
  .action((o) => withTarget((t) => listRuns(t, o)));
runs
  .command("show <id>")
  .option("--json")
  .action((id: string, o) => withTarget((t) => showRun(t, id, o)));
runs.command("watch <id>").action(async (id: string) => {
  const run = await withTarget((t) => watchRun(t, id), "one-run");
  if (run.status !== "succeeded")
    throw new RunFailedError(run.error?.code ?? run.status.toUpperCase(), `run ${id} ${run.status}`);
});
runs.command("cancel <id>").action((id: string) => withTarget((t) => cancelRun(t, id)));
runs.command("rm <id>").action((id: string) => withTarget((t) => removeRun(t, id)));
runs
  .command("plot <id> <file>")
  .action((id: string, file: string) => withTarget((t) => plotRun(t, id, file)));
runs
  .command("export <id> [file]")
  .action((id: string, file?: string) => withTarget((t) => exportRun(t, id, file)));
/**
 * A `sweep` subcommand's options. `sweep` itself takes --json too, and commander gives an option to the first
 * command that knows it, so `sweep ls --json` sets it on `sweep`: read both.
 */
const sweepOptions = (command: Command) =>
  command.optsWithGlobals<{ json?: boolean; plot?: string; kind?: string }>();

const sweep = program
  .command("sweep")
  .description(
    "run a hyperparameter sweep (a preset or a space file) with a live table, ending with the leaderboard; " +
      "Ctrl-C cancels it, as it cancels `train` (finished trials and their leaderboard stay; a canceled sweep " +
      "does not resume). With no --host it trains here on WORKERS processes (default: one per core, at most 4).",
  )
  .option("--preset <name>", "seed-mlp, seed-cnn or seed-followup")
  .option("--space <file>", "a search space in YAML or JSON")
  .option("--method <name>", "random, grid or tpe")
  .option("--trials <n>", "configurations to try")
  .option("--steps <n>", "training steps per trial")
  .option("--parallelism <n>", "trials training at once")
  .option("--repeats <k>", "seeds per configuration")
  .option("--seed <n>", "the sweep's seed (same seed, same configs)")
  .option("--early-stopping <rule>", "asha or median")
  .option("--metric <name>", "validationAccuracy (default), validationLoss or testAccuracy")
  .option("--name <name>")
  .option("--json", "print the finished sweep with its trials as JSON")
  .option(
    "--detach",
    "only start it; print its id (with no --host it trains while `serve` or `sweep watch ID` runs on the data folder)",
  )
  .action(async (flags) => {
    const { runSweep } = await import("./commands/sweep.ts");
    await withTarget(async (t) => {
      await runSweep(t, flags);
    }, !flags.detach && "many");
  });
sweep
  .command("ls")
  .description("list sweeps, newest first")
  .option("--json")
  .action(async (_o, command: Command) =>
    withTarget(async (t) => (await import("./commands/sweep.ts")).listSweeps(t, sweepOptions(command))),
  );
sweep
  .command("show <id>")
  .description("a sweep's trials and leaderboard, and optionally one of its plots")
  .option("--json")
  .option("--plot <file>", "save a plot (.svg or .png)")
  .option(
    "--kind <plot>",
    "parallel-coordinates, metric-by-parameter, best-so-far, validation-curves, importance",
  )
  .action(async (id: string, _o, command: Command) =>
    withTarget(async (t) => (await import("./commands/sweep.ts")).showSweep(t, id, sweepOptions(command))),
  );
sweep
  .command("watch <id>")
  .description("follow a sweep to its end; Ctrl-C stops watching and leaves the sweep running")
  .option("--json", "print the finished sweep with its trials as JSON")
  .action(async (id: string, _o, command: Command) => {
    await withTarget(
      async (t) => (await import("./commands/sweep.ts")).watchSweep(t, id, sweepOptions(command)),
      "many",
    );
  });
sweep
  .command("cancel <id>")
  .description("stop a sweep: no more trials; its queued and training runs are canceled")
  .action(async (id: string) =>
    withTarget(async (t) => (await import("./commands/sweep.ts")).cancelSweep(t, id)),
  );
program
  .command("status")
  .option("--json")
  .action((o) => withTarget((t) => showStatus(t, o)));
program
  .command("serve")
  .description(
    "run the service (settings: flags, then PORT, HOST, WORKERS, SWEEPLAB_DATA_DIR, SWEEPLAB_TOKEN)",
  )
  .option("--port <port>")
  .option("--listen <address>", "address to bind, e.g. 0.0.0.0 (needs SWEEPLAB_TOKEN)")
  .option("--workers <n>")
  .option(
    "--insecure-no-auth",
    "allow serving off loopback without a token (anyone who reaches the port can train and delete runs)",
  )
  .action(async (o) => {
    const { serve } = await import("./commands/serve.ts");
    await serve({ ...o, dataDir: program.opts().dataDir, token: program.opts().token });
  });
program
  .command("worker")
  .description("train runs from a shared queue on this host (PostgreSQL: several hosts share one)")
  .option("--database-url <url>", "the store: postgres://… (default: $DATABASE_URL)")
  .option(
    "--concurrency <n>",
    "training processes on this host (default: $WORKERS or one per core, at most 4)",
  )
  .option("--backend <name>", "auto, tensorflow, tensorflow-gpu or wasm (default: $SWEEPLAB_BACKEND)")
  .action(async (o) => {
    const { runWorkers } = await import("./commands/worker.ts");
    await runWorkers(o);
  });

/** Maps an error to its printed line and exit code. */
function report(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.exitCode === 0
      ? 0
      : 2;
  }
  if (error instanceof UsageError) {
    console.error(`USAGE: ${error.message}`);
    return 2;
  }
  if (error instanceof InterruptedError) {
    console.error(`\nINTERRUPTED: ${error.message}`);
    return 130;
  }
  if (error instanceof RunFailedError) {
    console.error(`${error.code}: ${error.message}`);
    return 1;
  }
  if (isApiError(error)) {
    console.error(`${error.code}: ${error.detail}`);
    return error.status === 400 ? 2 : 1;
  }
  if ((error as Error)?.name === "OwnedError") {
    console.error(`DATA_FOLDER_IN_USE: ${(error as Error).message}`);
    return 1;
  }
  if ((error as Error)?.name === "StorageFullError") {
    console.error(`STORAGE_FULL: ${(error as Error).message}`);
    return 1;
  }
  if ((error as Error)?.name === "ConfigError") {
    console.error(`CONFIG: ${(error as Error).message.replace(/\n\s*/g, "; ")}`);
    return 2;
  }
  const e = error as Error & { cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.cause?.code === "ECONNREFUSED" || e?.message === "fetch failed") {
    console.error(`UNREACHABLE: cannot reach the service (${e.cause?.code ?? e.message})`);
    return 1;
  }
  console.error(`INTERNAL: ${e?.message ?? String(error)}`);
  return 1;
}

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (error: unknown) => process.exit(report(error)),
);
