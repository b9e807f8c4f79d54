#!/usr/bin/env node
// The sweeplab command line: argument parsing, target resolution (flag, then environment, then a profile, then
// embedded), and the place that turns a command's end into the exit status (only `serve` and `worker` also exit
// themselves, 130 on a second Ctrl-C while they shut down). Errors print as `CODE: detail`; exit codes are EXIT in errors.ts.
import { PLOT_KINDS } from "@sweeplab/contract";
import { isApiError, isTransportError } from "@sweeplab/sdk";
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { collectObjective, parseRepeatsFlag } from "./commands/objective-flags.ts";
import { cancelRun, exportRun, listRuns, plotRun, removeRun, showRun, watchRun } from "./commands/runs.ts";
import { showStatus } from "./commands/status.ts";
import { train } from "./commands/train.ts";
import { buildRunConfig, type TrainFlags } from "./commands/train-config.ts";
import { completionScript } from "./completion.ts";
import { EXIT, InterruptedError, RunFailedError, ServerNotInstalledError, UsageError } from "./errors.ts";
import { resolveConnection } from "./profiles.ts";
import { openTarget, type Target } from "./target.ts";

const program = new Command("sweeplab")
  .description("Train and compare MNIST classifiers, here or on a remote (GPU) host")
  .version(packageJson.version)
  .option(
    "--host <url>",
    "a sweeplab service (default: $SWEEPLAB_URL, a profile's host, else an embedded one)",
  )
  .option("--token <token>", "bearer token for the service (default: $SWEEPLAB_TOKEN, else the profile's)")
  .option(
    "--profile <name>",
    "a named service in $XDG_CONFIG_HOME/sweeplab/config.yaml (default: $SWEEPLAB_PROFILE, else its `default`)",
  )
  .option("--data-dir <dir>", "embedded mode's data folder (default: $SWEEPLAB_DATA_DIR or ~/.sweeplab)")
  .addHelpText(
    "after",
    "\nExit codes: 0 done, 1 failed (a run or sweep failed, or another error), 2 usage, 3 auth refused, " +
      "4 not found, 5 unreachable, 6 canceled, 7 the server package is not installed, 130 interrupted.",
  )
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

/** A flag's value checked as a number (kept as the string given: the run config's parser reads it). */
const numeric =
  (kind: "integer" | "number", least?: number) =>
  (value: string): string => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || (kind === "integer" && !Number.isInteger(n)))
      throw new InvalidArgumentError(`takes ${kind === "integer" ? "a whole number" : "a number"}.`);
    if (least !== undefined && n < least) throw new InvalidArgumentError(`takes at least ${least}.`);
    return value;
  };
const integer = (least?: number) => numeric("integer", least);
const number = numeric("number");

/**
 * Commands that read need no training processes in embedded mode; those that train (or wait on training) do:
 * `one-run` (train, runs watch) one worker with every core, since a single run trains on one worker only (the
 * graph step takes 9 ms on two threads where it takes 15 on one: BENCHMARKS.md); `many` (sweeps) the service's auto.
 */
async function withTarget<T>(
  run: (target: Target) => Promise<T>,
  trains: false | "one-run" | "many" = false,
): Promise<T> {
  const globals = program.opts<{ host?: string; token?: string; profile?: string; dataDir?: string }>();
  const { host, token } = resolveConnection(globals, process.env);
  const target = await openTarget({
    host,
    token,
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
  .option("--depth <n>", "MLP hidden layers (1-4)", integer(1))
  .option("--width <n>", "MLP hidden width", integer(1))
  .option("--act <name>", "relu, silu, gelu, tanh or sigmoid")
  .option("--opt <name>", "adamw or sgd")
  .option("--lr <rate>", "peak learning rate", number)
  .option("--wd <decay>", "weight decay", number)
  .option("--batch <n>", "batch size", integer(1))
  .option("--steps <n>", "optimizer steps", integer())
  .option("--dataset <name>", "mnist, fashion-mnist or a folder of IDX files")
  .option("--augment", "random shifts and rotations")
  .option("--batch-norm", "CNN batch normalisation")
  .option("--dropout <p>", "dropout probability", number)
  .option("--seed <n>", "random seed", integer(0))
  .option("--eval-every <n>", "steps between evaluations", integer(1))
  .option("--validation-size <n>", "training images held out for validation (0: train on all)", integer(0))
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
  .description("list runs, newest first, one page at a time (--cursor fetches the next)")
  .option("--status <status>", "queued, running, succeeded, failed, canceled, diverged or pruned")
  .option("--tag <tag>", "only runs with this tag")
  .option("--sweep <id>", "only the trial runs of this sweep")
  .addOption(
    new Option("--sort <order>", "newest first, or best test accuracy first").choices([
      "created",
      "testAccuracy",
    ]),
  )
  .option("--limit <n>", "runs per page (1-200, default 20)", integer(1))
  .option("--cursor <cursor>", "the page after the one that printed this cursor")
  .option("--json", "print the page's runs as JSON (the next cursor goes to stderr)")
  .action((o) => withTarget((t) => listRuns(t, o)));
runs
  .command("show <id>")
  .description("a run's config, result and curves")
  .option("--json", "print the run as JSON")
  .action((id: string, o) => withTarget((t) => showRun(t, id, o)));
runs
  .command("watch <id>")
  .description("follow a run to its end with a progress bar; Ctrl-C stops watching, the run goes on")
  .action(async (id: string) => {
    const run = await withTarget((t) => watchRun(t, id), "one-run");
    if (run.status !== "succeeded")
      throw new RunFailedError(run.error?.code ?? run.status.toUpperCase(), `run ${id} ${run.status}`);
  });
runs
  .command("cancel <id>")
  .description("cancel a queued or training run")
  .action((id: string) => withTarget((t) => cancelRun(t, id)));
runs
  .command("rm <id>")
  .description("delete a finished run and what it stored")
  .action((id: string) => withTarget((t) => removeRun(t, id)));
runs
  .command("plot <id> <file>")
  .description("save a run's loss and accuracy curves to a .svg or .png file")
  .action((id: string, file: string) => withTarget((t) => plotRun(t, id, file)));
runs
  .command("export <id> [file]")
  .description("write the run, its metrics and its TensorFlow.js model to FILE (default: ID.json)")
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
  .option("--method <name>", "random, grid, tpe, or motpe (two or more --objective)")
  .option("--trials <n>", "configurations to try", integer(1))
  .option("--steps <n>", "training steps per trial", integer(1))
  .option("--parallelism <n>", "trials training at once", integer(1))
  .option(
    "--repeats <k>",
    "seeds per configuration, or auto: one each, then more only for configs within seed noise of the best",
    parseRepeatsFlag,
  )
  .option(
    "--max-repeats <k>",
    "with --repeats auto: the most seeds a configuration gets (default 3)",
    integer(2),
  )
  .option(
    "--objective <metric:max|min>",
    "an objective (repeat the flag for a Pareto front): validationAccuracy, validationLoss, msPerStep, " +
      "parameterCount or peakMemoryEstimate, each :max or :min",
    collectObjective,
  )
  .option("--seed <n>", "the sweep's seed (same seed, same configs)", integer(0))
  .option("--early-stopping <rule>", "asha or median")
  .option("--metric <name>", "validationAccuracy (default), validationLoss or testAccuracy")
  .option("--name <name>", "a name for the sweep")
  .option(
    "--warm-start <id>",
    "an earlier sweep whose finished trials (those fitting this space) seed the sampler",
  )
  .option(
    "--budget-minutes <m>",
    "stop the sweep after this much wall-clock time (training trials canceled)",
    number,
  )
  .option("--max-trials <n>", "start at most this many trial runs (repeats and re-runs count)", integer(1))
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
  .option("--json", "print the sweeps as JSON")
  .action(async (_o, command: Command) =>
    withTarget(async (t) => (await import("./commands/sweep.ts")).listSweeps(t, sweepOptions(command))),
  );
sweep
  .command("show <id>")
  .description("a sweep's trials and leaderboard, and optionally one of its plots")
  .option("--json", "print the sweep with its trials as JSON")
  .option("--plot <file>", "save a plot (.svg or .png)")
  .option("--kind <plot>", PLOT_KINDS.join(", "))
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
/** Follows a lifecycle action unless --detach; reads the options `sweep` may have taken first (see sweepOptions). */
const lifecycle =
  (action: "resumeSweep" | "retrySweep" | "extendSweep") =>
  async (id: string, _o: unknown, command: Command) => {
    const flags = command.optsWithGlobals<{ detach?: boolean }>();
    await withTarget(
      async (t) => (await import("./commands/sweep-lifecycle.ts"))[action](t, id, flags),
      !flags.detach && "many",
    );
  };
sweep
  .command("resume <id>")
  .description(
    "run a canceled, failed or budget-stopped sweep again: its canceled and remaining trials (finished ones never rerun)",
  )
  .option("--budget-minutes <m>", "a new wall-clock budget, counted from now", number)
  .option("--max-trials <n>", "a new limit on the sweep's trial runs", integer(1))
  .option("--json", "print the finished sweep with its trials as JSON")
  .option("--detach", "only resume it; print its id and status")
  .action(lifecycle("resumeSweep"));
sweep
  .command("retry <id>")
  .description("re-run a sweep's failed and diverged trials as new attempts (same config and seed)")
  .option("--json", "print the finished sweep with its trials as JSON")
  .option("--detach", "only ask for the retry; print its id and status")
  .action(lifecycle("retrySweep"));
sweep
  .command("extend <id>")
  .description("add trials to a running or finished sweep; the sampler continues from its history")
  .option("--trials <n>", "trials to add (required)", integer(1))
  .option("--budget-minutes <m>", "a new wall-clock budget", number)
  .option("--max-trials <n>", "a new limit on the sweep's trial runs", integer(1))
  .option("--json", "print the finished sweep with its trials as JSON")
  .option("--detach", "only extend it; print its id and status")
  .action(lifecycle("extendSweep"));
sweep
  .command("cancel <id>")
  .description("stop a sweep: no more trials; its queued and training runs are canceled")
  .action(async (id: string) =>
    withTarget(async (t) => (await import("./commands/sweep.ts")).cancelSweep(t, id)),
  );
sweep
  .command("export <id>")
  .description("write the sweep to one file: spec, trials, their metrics and events, no weights")
  .option("-o, --output <file>", "where to write it (default: ID.sweep.json)")
  .action(async (id: string, o: { output?: string }) =>
    withTarget(async (t) => (await import("./commands/sweep-share.ts")).exportSweepFile(t, id, o)),
  );
sweep
  .command("import <file>")
  .description("import a `sweep export` file as a new, read-only sweep (same leaderboard, new ids)")
  .option("--json", "print the new sweep's id and run ids as JSON")
  .action(async (file: string, _o, command: Command) =>
    withTarget(async (t) =>
      (await import("./commands/sweep-share.ts")).importSweepFile(t, file, sweepOptions(command)),
    ),
  );
sweep
  .command("report <id>")
  .description("write a self-contained HTML report (leaderboard and every plot; opens offline)")
  .option("-o, --output <file>", "where to write it (default: ID.report.html)")
  .action(async (id: string, o: { output?: string }) =>
    withTarget(async (t) => (await import("./commands/sweep-share.ts")).writeSweepReport(t, id, o)),
  );
program
  .command("status")
  .description("the service's queue, workers and backend")
  .option("--json", "print the status as JSON")
  .action((o) => withTarget((t) => showStatus(t, o)));
program
  .command("serve")
  .description(
    "run the service (settings: flags, then PORT, HOST, WORKERS, SWEEPLAB_DATA_DIR, SWEEPLAB_TOKEN)",
  )
  .option("--port <port>", "port to listen on (default: $PORT, else 8787)", integer(0))
  .option("--listen <address>", "address to bind, e.g. 0.0.0.0 (needs SWEEPLAB_TOKEN)")
  .option("--workers <n>", "training processes (default: $WORKERS, else one per core, at most 4)", integer(0))
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
    integer(1),
  )
  .option("--backend <name>", "auto, tensorflow, tensorflow-gpu or wasm (default: $SWEEPLAB_BACKEND)")
  .action(async (o) => {
    const { runWorkers } = await import("./commands/worker.ts");
    await runWorkers(o);
  });

program
  .command("completion")
  .description("print a shell completion script: source <(sweeplab completion bash)")
  .addArgument(new Argument("<shell>", "bash or zsh").choices(["bash", "zsh"]))
  .action((shell: "bash" | "zsh") => {
    process.stdout.write(completionScript(program, shell));
  });

/** The exit code for a problem the service answered with. */
function apiExit(status: number): number {
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.USAGE;
  if (status === 401 || status === 403) return EXIT.AUTH;
  if (status === 404) return EXIT.NOT_FOUND;
  return EXIT.FAILED;
}

/** Maps an error to its printed line and exit code. */
function report(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.code === "commander.help" ||
      error.exitCode === 0
      ? EXIT.OK
      : EXIT.USAGE;
  }
  if (error instanceof UsageError) {
    console.error(`USAGE: ${error.message}`);
    return EXIT.USAGE;
  }
  if (error instanceof InterruptedError) {
    console.error(`\nINTERRUPTED: ${error.message}`);
    return EXIT.INTERRUPTED;
  }
  if (error instanceof ServerNotInstalledError) {
    console.error(`SERVER_NOT_INSTALLED: ${error.message}`);
    return EXIT.NOT_INSTALLED;
  }
  if (error instanceof RunFailedError) {
    console.error(`${error.code}: ${error.message}`);
    return error.code === "CANCELED" ? EXIT.CANCELED : EXIT.FAILED;
  }
  if (isApiError(error)) {
    // The request is named for the answers that depend on where the command went (auth, not found, overload).
    const namesPlace = [401, 403, 404, 405, 429].includes(error.status) || error.status >= 500;
    const where = error.request && namesPlace ? ` (${error.request})` : "";
    console.error(`${error.code}: ${error.detail}${where}`);
    return apiExit(error.status);
  }
  if (isTransportError(error)) {
    console.error(`${error.code}: ${error.message}`);
    return EXIT.UNREACHABLE;
  }
  if ((error as Error)?.name === "OwnedError") {
    console.error(`DATA_FOLDER_IN_USE: ${(error as Error).message}`);
    return EXIT.FAILED;
  }
  if ((error as Error)?.name === "StorageFullError") {
    console.error(`STORAGE_FULL: ${(error as Error).message}`);
    return 1;
  }
  if ((error as Error)?.name === "ConfigError") {
    console.error(`CONFIG: ${(error as Error).message.replace(/\n\s*/g, "; ")}`);
    return EXIT.USAGE;
  }
  const e = error as Error & { cause?: { code?: string } };
  console.error(`INTERNAL: ${e?.message ?? String(error)}`);
  return EXIT.FAILED;
}

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (error: unknown) => process.exit(report(error)),
);
