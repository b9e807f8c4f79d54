// `sweeplab sweep` end to end: the real CLI process, embedded (its own service over a SQLite file in a temporary
// folder) and against a running service, on real MNIST with tiny trials.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited, startCli, runCli as sweeplab } from "./support/processes.ts";
import { startTestServer, waitFor } from "./support/server.ts";

interface SweepJson {
  id: string;
  status: string;
  stopReason: string | null;
  trials: number;
  trialRuns: { trialIndex: number; runId: string; status: string; params: Record<string, unknown> }[];
  leaderboard: { rank: number; params: Record<string, unknown>; mean: number | null }[];
  best: { params: Record<string, unknown>; config: { steps: number; model: { kind: string } } } | null;
}

const TINY = ["--trials", "3", "--steps", "40", "--seed", "1"];
const ESC = String.fromCharCode(27);
const lastLine = (text: string) => text.trim().split("\n").at(-1) ?? "";

/** How many drawn paths each data mark group of a kind holds (vega draws each line of a line mark in its own group). */
function markCounts(svg: string, kind: "line" | "symbol"): number[] {
  const groups = svg.split(`<g class="mark-${kind} role-mark`).slice(1);
  return groups.map((g) => (g.slice(0, g.indexOf("</g>")).match(/<path/g) ?? []).length);
}

function expectFinished(sweep: SweepJson, trials: number) {
  expect(sweep.status).toBe("succeeded");
  expect(sweep.trialRuns.map((t) => [t.trialIndex, t.status])).toEqual(
    Array.from({ length: trials }, (_, i) => [i, "succeeded"]),
  );
  expect(sweep.leaderboard).toHaveLength(trials);
  expect(sweep.leaderboard[0]!.mean).toBeGreaterThan(0.5);
  expect(sweep.best?.params).toEqual(sweep.leaderboard[0]!.params);
}

let embeddedParams: Record<string, unknown>[] = [];

describe("sweeplab sweep with no host (embedded service)", () => {
  it("runs a seed-mlp sweep to its end and prints it as JSON: every trial finished, its config, the best", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-cli-sweep-"));
    const { code, stdout, stderr } = await sweeplab(["sweep", "--preset", "seed-mlp", ...TINY, "--json"], {
      SWEEPLAB_DATA_DIR: dataDir,
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const sweep = JSON.parse(stdout) as SweepJson;
    expectFinished(sweep, 3);
    for (const t of sweep.trialRuns) {
      expect(t.params).toMatchObject({ batchSize: expect.any(Number), activation: expect.any(String) });
      const { kind } = t.params.optimizer as { kind: string };
      expect(["adamw", "sgd"]).toContain(kind);
      expect(t.params[`${kind}LearningRate`]).toEqual(expect.any(Number));
    }
    expect(sweep.best?.config).toMatchObject({ steps: 40, model: { kind: "mlp", width: 512, depth: 2 } });
    embeddedParams = sweep.trialRuns.map((t) => t.params);
    // The sweep stays in the folder's SQLite file.
    const listed = await sweeplab(["sweep", "ls", "--json"], { SWEEPLAB_DATA_DIR: dataDir });
    expect(
      (JSON.parse(listed.stdout) as { id: string; status: string }[]).map((s) => [s.id, s.status]),
    ).toEqual([[sweep.id, "succeeded"]]);
  });

  it("cancels the sweep on Ctrl-C, waits for its training run to stop, and exits 6 with CANCELED", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-cli-sweep-int-"));
    const env = { SWEEPLAB_DATA_DIR: dataDir, SWEEPLAB_URL: "" };
    const cli = startCli(["sweep", "--preset", "seed-mlp", "--trials", "4", "--steps", "5000"], env);
    await waitFor(
      "a trial in training",
      async () => (/running/.test(cli.output()) ? true : undefined),
      60_000,
    );
    cli.kill("SIGINT");
    expect(await exited(cli)).toBe(6);
    expect(lastLine(cli.output())).toMatch(/^CANCELED: sweep swp_\w+ canceled: canceled by request$/);
    const runs = JSON.parse((await sweeplab(["runs", "ls", "--json"], env)).stdout) as { status: string }[];
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => "canceled"));
    const sweeps = JSON.parse((await sweeplab(["sweep", "ls", "--json"], env)).stdout) as {
      status: string;
    }[];
    expect(sweeps.map((s) => s.status)).toEqual(["canceled"]);
  });
});

describe("sweeplab sweep against a running service (--host)", () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let host: string[];
  const files = mkdtempSync(join(tmpdir(), "sweeplab-cli-sweep-files-"));
  const count = async () =>
    (JSON.parse((await sweeplab([...host, "sweep", "ls", "--json"])).stdout) as []).length;
  beforeAll(async () => {
    server = await startTestServer({ WORKERS: "1", SWEEPLAB_POLL_MS: "100" });
    host = ["--host", server.url];
  });
  afterAll(() => server.close());

  it("shows a row per trial as they end, then the leaderboard; the same seed proposes what embedded mode did", async () => {
    const { code, stdout, stderr } = await sweeplab([...host, "sweep", "--preset", "seed-mlp", ...TINY]);
    expect(code).toBe(0);
    // Piped: plain lines, no cursor movement or colour.
    expect(stdout + stderr).not.toContain(ESC);
    const id = /^sweep (swp_\w+) on http/.exec(stderr)?.[1];
    expect(id).toBeDefined();
    for (const index of [0, 1, 2])
      expect(stderr).toMatch(new RegExp(`^#${index} +succeeded +40/40 +\\d+\\.\\d\\d % +batchSize=`, "m"));
    const board = stdout.trim().split("\n");
    // Piped, each config is one line.
    expect(board).toHaveLength(5);
    expect(board[0]).toBe("rank  val acc  n  params");
    expect(board[1]).toMatch(
      /^ {3}1\* \d+\.\d\d % +1 {2}batchSize=\d+ optimizer=\w+ \w+LearningRate=[\d.]+ activation=\w+$/,
    );
    expect(board[2]).toMatch(/^ {3}2[~ ] \d+\.\d\d % +1 {2}batchSize=/);
    expect(board[3]).toMatch(/^ {3}3[~ ] \d+\.\d\d % +1 {2}batchSize=/);
    expect(board.at(-1)).toMatch(/^\* best/);

    const sweep = JSON.parse((await sweeplab([...host, "sweep", "show", id!, "--json"])).stdout) as SweepJson;
    expectFinished(sweep, 3);
    if (embeddedParams.length) expect(sweep.trialRuns.map((t) => t.params)).toEqual(embeddedParams);

    const ls = await sweeplab([...host, "sweep", "ls"]);
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(new RegExp(`^${id} +succeeded +random +3/3 +seed-mlp$`, "m"));

    const show = await sweeplab([...host, "sweep", "show", id!]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^${id}  succeeded  random, 3 trials x 1, seed 1$`, "m"));
    expect(show.stdout.match(/^#\d +succeeded/gm)).toHaveLength(3);
    const best = /^best config: (.*)$/m.exec(show.stdout)?.[1];
    expect(JSON.parse(best!)).toMatchObject({ steps: 40, model: { kind: "mlp" } });

    const svgFile = join(files, "parallel.svg");
    const plotted = await sweeplab([
      ...host,
      "sweep",
      "show",
      id!,
      "--plot",
      svgFile,
      "--kind",
      "parallel-coordinates",
    ]);
    expect(plotted.code).toBe(0);
    const svg = readFileSync(svgFile, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    // One line per trial, across the preset's axes.
    expect(markCounts(svg, "line")).toEqual([1, 1, 1]);
    for (const axis of ["batchSize", "optimizer", "activation", "validation accuracy"])
      expect(svg).toContain(`>${axis}<`);

    const pngFile = join(files, "best.png");
    expect(
      (await sweeplab([...host, "sweep", "show", id!, "--plot", pngFile, "--kind", "best-so-far"])).code,
    ).toBe(0);
    const bytes = readFileSync(pngFile);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(PNG.sync.read(bytes).width).toBeGreaterThan(100);

    const badKind = await sweeplab([...host, "sweep", "show", id!, "--plot", svgFile, "--kind", "pie"]);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr.trim()).toMatch(/^USAGE: --kind takes parallel-coordinates, .*; got "pie"$/);
  });

  it("runs a YAML space over a preset's base: only its parameters vary, within their ranges", async () => {
    const space = join(files, "space.yaml");
    writeFileSync(
      space,
      [
        "parameters:",
        "  - name: batch",
        "    path: batchSize",
        "    type: int",
        "    low: 32",
        "    high: 64",
        "  - name: width",
        "    path: model.width",
        "    type: categorical",
        "    values: [16, 32]",
        "",
      ].join("\n"),
    );
    const args = [
      ...host,
      "sweep",
      "--preset",
      "seed-mlp",
      "--space",
      space,
      "--trials",
      "2",
      "--steps",
      "60",
    ];
    const { code, stdout } = await sweeplab([...args, "--json"]);
    expect(code).toBe(0);
    const sweep = JSON.parse(stdout) as SweepJson;
    expectFinished(sweep, 2);
    for (const { params } of sweep.trialRuns) {
      expect(Object.keys(params).sort()).toEqual(["batch", "width"]);
      expect(Number.isInteger(params.batch)).toBe(true);
      expect(params.batch).toBeGreaterThanOrEqual(32);
      expect(params.batch).toBeLessThanOrEqual(64);
      expect([16, 32]).toContain(params.width);
    }
  });

  it("refuses a bad space file with one CODE: detail line, a non-zero exit, and creates nothing", async () => {
    const before = await count();
    const cases: [string, string, RegExp][] = [
      ["syntax.yaml", "parameters: [\n", /^USAGE: --space: .*syntax\.yaml is not valid YAML: /],
      [
        "path.yaml",
        "- { name: lr, path: optimizer.learningRat, type: uniform, low: 0.001, high: 0.01 }\n",
        /^INVALID_CONFIG: invalid search space: parameter "lr": unknown RunConfig path "optimizer\.learningRat"$/,
      ],
      [
        "batch.json",
        JSON.stringify({
          parameters: [{ name: "batch", path: "batchSize", type: "categorical", values: [0] }],
        }),
        /^INVALID_SWEEP: trial #0 \(batch=0\) is not a valid run: .*batchSize/,
      ],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(join(files, name), text);
      const { code, stdout, stderr } = await sweeplab([...host, "sweep", "--space", join(files, name)]);
      expect(code, name).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n"), name).toHaveLength(1);
      expect(stderr.trim(), name).toMatch(message);
    }
    const missing = await sweeplab([...host, "sweep", "--space", join(files, "nope.yaml")]);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      `USAGE: --space: cannot read ${join(files, "nope.yaml")}`,
    ]);
    expect(await count()).toBe(before);
  });

  it("cancels a detached sweep: it ends canceled with its runs, and watching it exits 6", async () => {
    const started = await sweeplab([
      ...host,
      "sweep",
      "--preset",
      "seed-mlp",
      "--trials",
      "4",
      "--steps",
      "5000",
      "--detach",
    ]);
    expect(started.code).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^swp_\w+$/);
    const canceled = await sweeplab([...host, "sweep", "cancel", id]);
    expect([canceled.code, canceled.stdout.trim()]).toEqual([0, `${id} canceled`]);
    const sweep = await waitFor("the canceled sweep's runs to stop", async () => {
      const s = JSON.parse((await sweeplab([...host, "sweep", "show", id, "--json"])).stdout) as SweepJson;
      return s.trialRuns.every((t) => t.status !== "queued" && t.status !== "running") ? s : undefined;
    });
    expect(sweep).toMatchObject({ status: "canceled", stopReason: "canceled by request" });
    expect(sweep.trialRuns.map((t) => t.status)).toEqual(sweep.trialRuns.map(() => "canceled"));
    const watched = await sweeplab([...host, "sweep", "watch", id]);
    expect(watched.code).toBe(6);
    expect(lastLine(watched.stderr)).toBe(`CANCELED: sweep ${id} canceled: canceled by request`);
    const again = await sweeplab([...host, "sweep", "cancel", id]);
    expect([again.code, again.stderr.trim()]).toEqual([1, `SWEEP_FINISHED: sweep ${id} is canceled already`]);
  });
});
