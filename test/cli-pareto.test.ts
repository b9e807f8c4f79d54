// `sweeplab sweep --objective ... --repeats auto` end to end: the real CLI process with its embedded service, on real
// MNIST with tiny trials; the Pareto front in its table and its --json, and usage errors on one line.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as sweeplab } from "./support/processes.ts";

interface SweepJson {
  id: string;
  status: string;
  adaptiveRepeats: boolean;
  objectives: { metric: string; direction: string }[];
  leaderboard: { key: string; n: number; onFront: boolean }[];
  pareto: { front: { key: string; means: number[] }[]; configsScored: number };
}

describe("sweeplab sweep with several objectives", () => {
  it("runs a grid for accuracy against parameter count with adaptive repeats and prints the front", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sweeplab-cli-pareto-"));
    const space = join(dataDir, "space.yaml");
    writeFileSync(
      space,
      "- name: model\n  path: model\n  type: categorical\n  values: [{ kind: mlp, width: 16 }, { kind: mlp, width: 64 }, { kind: mlp, width: 256 }]\n",
    );
    const env = { SWEEPLAB_DATA_DIR: dataDir };
    const args = ["sweep", "--space", space, "--method", "grid", "--steps", "40", "--seed", "1"];
    const objectives = ["--objective", "validationAccuracy:max", "--objective", "parameterCount:min"];
    const { code, stdout, stderr } = await sweeplab(
      [...args, ...objectives, "--repeats", "auto", "--max-repeats", "2", "--json"],
      env,
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const sweep = JSON.parse(stdout) as SweepJson;
    expect(sweep).toMatchObject({ status: "succeeded", adaptiveRepeats: true });
    expect(sweep.objectives).toEqual([
      { metric: "validationAccuracy", direction: "maximize" },
      { metric: "parameterCount", direction: "minimize" },
    ]);
    expect(sweep.pareto.configsScored).toBe(3);
    expect(
      sweep.leaderboard
        .filter((e) => e.onFront)
        .map((e) => e.key)
        .sort(),
    ).toEqual(sweep.pareto.front.map((m) => m.key).sort());
    expect(sweep.leaderboard.every((e) => e.n >= 1 && e.n <= 2)).toBe(true);

    // Progress counts the runs racing asked for, not configs x maxRepeats.
    const ls = await sweeplab(["sweep", "ls"], env);
    const runs = sweep.leaderboard.reduce((sum, e) => sum + e.n, 0);
    expect(ls.stdout).toMatch(new RegExp(`^${sweep.id} +succeeded +grid +${runs}/${runs} `, "m"));

    const show = await sweeplab(["sweep", "show", sweep.id], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/, 3 trials x up to 2 \(auto\), seed 1$/m);
    expect(show.stdout).toMatch(/^rank {3}val acc/m);
    expect(show.stdout).toMatch(
      new RegExp(
        `^Pareto front: ${sweep.pareto.front.length} of 3 configs \\(none beaten beyond seed noise`,
        "m",
      ),
    );
    expect(show.stdout).toMatch(/^val acc ↑ +params ↓ +n {2}params$/m);
    expect(show.stdout.match(/^\d+\.\d\d % (± [\d.]+ % )? +\d+ +[12] {2}model=mlp$/gm)).toHaveLength(
      sweep.pareto.front.length,
    );
  }, 240_000);

  it("refuses a malformed --objective and motpe with one objective, on one line, exit 2", async () => {
    const env = { SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-cli-pareto-bad-")) };
    const bad = await sweeplab(["sweep", "--preset", "seed-mlp", "--objective", "msPerStep:fast"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      "USAGE: option '--objective <metric:max|min>' argument 'msPerStep:fast' is invalid. takes METRIC:max or METRIC:min, METRIC one of validationAccuracy, validationLoss, msPerStep, parameterCount, peakMemoryEstimate.",
    );
    const motpe = await sweeplab(
      ["sweep", "--preset", "seed-mlp", "--method", "motpe", "--objective", "validationAccuracy:max"],
      env,
    );
    expect(motpe.code).toBe(2);
    expect(motpe.stderr.trim()).toBe(
      "USAGE: --method motpe searches two or more objectives: give --objective twice or more",
    );
  });
});
