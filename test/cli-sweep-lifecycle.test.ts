// `sweeplab sweep resume | retry | extend` and the budget and warm-start flags, end to end through the real CLI
// process on an embedded service (its own SQLite file in a temporary folder), on real MNIST with tiny trials.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as sweeplab } from "./support/processes.ts";

interface SweepJson {
  id: string;
  status: string;
  trials: number;
  budget: { wallClockSeconds?: number; maxTrials?: number } | null;
  trialRuns: { trialIndex: number; status: string; attempt: number; retryOf: string | null }[];
}

const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter((l) => !/oneDNN|absl::/.test(l));

describe("sweeplab sweep resume, retry and extend (embedded service)", () => {
  it("refuses bad lifecycle commands with one CODE: detail line and the usage or failure exit", async () => {
    const env = { SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-cli-life-err-")) };
    const cases: [string[], number, RegExp][] = [
      [["sweep", "resume", "swp_nope"], 4, /^SWEEP_NOT_FOUND: no sweep swp_nope /],
      [["sweep", "retry", "swp_nope"], 4, /^SWEEP_NOT_FOUND: no sweep swp_nope /],
      [["sweep", "extend", "swp_nope"], 2, /^USAGE: sweep extend needs --trials N/],
      [
        ["sweep", "extend", "swp_nope", "--trials", "0"],
        2,
        /^USAGE: option '--trials <n>' argument '0' is invalid/,
      ],
      [
        ["sweep", "resume", "swp_nope", "--budget-minutes", "0"],
        2,
        /^USAGE: --budget-minutes takes a number/,
      ],
      [
        ["sweep", "--preset", "seed-mlp", "--trials", "2", "--warm-start", "swp_nope", "--detach"],
        2,
        /^INVALID_SWEEP: warmStartFrom: no sweep swp_nope$/,
      ],
    ];
    for (const [args, code, line] of cases) {
      const result = await sweeplab(args, env);
      expect(result.code, args.join(" ")).toBe(code);
      expect(lines(result.stderr), args.join(" ")).toHaveLength(1);
      expect(lines(result.stderr)[0], args.join(" ")).toMatch(line);
    }
  });

  it("a sweep canceled before it trained resumes to its end with every trial once, then extends", async () => {
    const env = { SWEEPLAB_DATA_DIR: mkdtempSync(join(tmpdir(), "sweeplab-cli-life-")) };
    const tiny = ["--preset", "seed-mlp", "--trials", "2", "--steps", "40", "--seed", "3"];
    const created = await sweeplab(
      ["sweep", ...tiny, "--budget-minutes", "30", "--max-trials", "6", "--detach"],
      env,
    );
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^swp_\w+$/);
    // Detached in embedded mode nothing trains: cancel it with its two trials queued.
    expect((await sweeplab(["sweep", "cancel", id], env)).stdout.trim()).toBe(`${id} canceled`);
    const shown = await sweeplab(["sweep", "show", id], env);
    expect(shown.stdout).toMatch(/^budget 30 min, 6 trial runs; stopped: canceled by request$/m);

    const resumed = await sweeplab(["sweep", "resume", id, "--json"], env);
    expect(resumed.code).toBe(0);
    const sweep = JSON.parse(resumed.stdout) as SweepJson;
    expect(sweep.status).toBe("succeeded");
    expect(sweep.trialRuns.map((t) => [t.trialIndex, t.status, t.attempt])).toEqual([
      [0, "succeeded", 1],
      [1, "succeeded", 1],
    ]);
    expect(sweep.trialRuns.every((t) => t.retryOf?.startsWith("run_"))).toBe(true);

    const extended = await sweeplab(["sweep", "extend", id, "--trials", "1", "--json"], env);
    expect(extended.code).toBe(0);
    const more = JSON.parse(extended.stdout) as SweepJson;
    expect(more).toMatchObject({
      status: "succeeded",
      trials: 3,
      budget: { wallClockSeconds: 1800, maxTrials: 6 },
    });
    expect(more.trialRuns.map((t) => [t.trialIndex, t.status])).toEqual([
      [0, "succeeded"],
      [1, "succeeded"],
      [2, "succeeded"],
    ]);

    const retry = await sweeplab(["sweep", "retry", id], env);
    expect(retry.code).toBe(1);
    expect(lines(retry.stderr).at(-1)).toMatch(
      /^NOTHING_TO_RETRY: sweep swp_\w+ has no failed or diverged trial/,
    );

    const warm = await sweeplab(
      ["sweep", ...tiny, "--method", "tpe", "--warm-start", id, "--detach", "--json"],
      env,
    );
    expect(warm.code).toBe(0);
    expect(JSON.parse(warm.stdout)).toMatchObject({ warmStartFrom: id, status: "running" });
  });
});
