// Multi-objective sweeps through the API: the spec's objectives, the Pareto front the sweep resource reports (equal
// to a brute-force non-dominated set with the noise rule), the leaderboard's front marks and the `pareto` plot.
// Trial runs are finished the fast way (test-support/finish-run.ts): no training.
import {
  canonicalJson,
  type MultiObjectiveTrial,
  proposeMotpe,
  proposeRandom,
  SeededRandom,
} from "@sweeplab/core";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../test-support/databases.ts";
import { useDialectApps } from "../test-support/dialect-apps.ts";
import { finishRun } from "../test-support/finish-run.ts";

const post = (body: unknown) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

const WIDTHS = [32, 64, 128, 256, 512, 768];
const RATES = [0.0003, 0.001, 0.002, 0.003, 0.01, 0.03];
const GRID = {
  parameters: [
    { name: "width", path: "model.width", type: "categorical", values: WIDTHS },
    { name: "lr", path: "optimizer.learningRate", type: "categorical", values: RATES },
  ],
};
const BASE = { steps: 20, model: { kind: "mlp" }, optimizer: { kind: "adamw" } };
const OBJECTIVES = [
  { metric: "validationAccuracy", direction: "maximize" },
  { metric: "msPerStep", direction: "minimize" },
];

/** Accuracy grows with width and peaks at lr 0.002, time grows with width; seed noise on both. */
function fakeResult(params: Record<string, unknown>, seed: number, random: SeededRandom) {
  const width = params.width as number;
  const lr = params.lr as number;
  const noise = (scale: number) => scale * (random.next() + random.next() + random.next() - 1.5) * 2;
  return {
    validationAccuracy: 0.99 - 0.08 / width - 0.004 * Math.log(lr / 0.002) ** 2 + noise(0.002) + 0 * seed,
    msPerStep: 2 + width / 100 + noise(0.2),
  };
}

interface Config {
  key: string;
  means: number[];
  standardErrors: number[];
}

/** Every pair, the noise rule written out: a config is beaten when another is better by > 2 se of the difference on every objective. */
function bruteForceFront(configs: Config[], directions: string[], noise = true): string[] {
  const beats = (a: Config, b: Config) =>
    directions.every((direction, k) => {
      const diff = direction === "maximize" ? a.means[k]! - b.means[k]! : b.means[k]! - a.means[k]!;
      const band = noise ? 2 * Math.hypot(a.standardErrors[k]!, b.standardErrors[k]!) : 0;
      return diff > band;
    });
  return configs.filter((c) => !configs.some((o) => o !== c && beats(o, c))).map((c) => c.key);
}

/** Per config, each objective's mean and std / sqrt(n) over its values. */
function summarise(values: Map<string, number[][]>): Config[] {
  return [...values.entries()].map(([key, rows]) => {
    const n = rows.length;
    const column = (k: number) => rows.map((r) => r[k]!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = (xs: number[]) =>
      Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
    return {
      key,
      means: [0, 1].map((k) => mean(column(k))),
      standardErrors: [0, 1].map((k) => std(column(k)) / Math.sqrt(n)),
    };
  });
}

interface SweepView {
  id: string;
  status: string;
  objectives: unknown;
  metric: string;
  trialRuns: { runId: string; params: Record<string, unknown> }[];
  leaderboard: { key: string; onFront?: boolean }[];
  pareto: {
    objectives: unknown[];
    front: { key: string; n: number; means: number[]; intervals: [number, number][] }[];
    configsScored: number;
  } | null;
}

describe.each(DIALECTS)("multi-objective sweeps on $dialect", ({ create }) => {
  const open = useDialectApps(create);

  it("reports the front of a 36-config grid with 3 repeats equal to brute force with the noise rule", async () => {
    const { app, deps } = await open({ SWEEPLAB_MAX_QUEUED_RUNS: "500" });
    const created = await app.request(
      "/v1/sweeps",
      post({
        base: BASE,
        space: GRID,
        method: "grid",
        objectives: OBJECTIVES,
        repeats: 3,
        parallelism: 64,
        seed: 1,
      }),
    );
    expect(created.status).toBe(202);
    const sweepId = ((await created.json()) as SweepView).id;
    const random = new SeededRandom(7);
    const raw = new Map<string, number[][]>();
    // Trials are proposed `parallelism` at a time: finish what is queued until the sweep ends.
    for (let round = 0; round < 10; round++) {
      const queued = (await deps.store.sweepRuns(sweepId)).filter((r) => r.status === "queued");
      if (queued.length === 0) break;
      for (const run of queued) {
        const params = (run.trial as { params: Record<string, unknown> }).params;
        const result = fakeResult(params, run.repeatIndex ?? 0, random);
        const key = canonicalJson(params);
        raw.set(key, [...(raw.get(key) ?? []), [result.validationAccuracy, result.msPerStep]]);
        await finishRun(deps.store, run.id, result);
      }
      await deps.sweeps.tick();
    }
    const sweep = (await (await app.request(`/v1/sweeps/${sweepId}`)).json()) as SweepView;
    expect(sweep.status).toBe("succeeded");
    expect(sweep.trialRuns).toHaveLength(108);
    expect(sweep.objectives).toEqual(OBJECTIVES);
    expect(sweep.metric).toBe("validationAccuracy");
    const configs = summarise(raw);
    expect(configs).toHaveLength(36);
    const expected = bruteForceFront(configs, ["maximize", "minimize"]);
    expect(sweep.pareto!.configsScored).toBe(36);
    expect(sweep.pareto!.front.map((c) => c.key).sort()).toEqual([...expected].sort());
    // The noise rule matters on this grid: plain dominance gives a smaller front.
    const plain = bruteForceFront(configs, ["maximize", "minimize"], false);
    expect(plain.length).toBeLessThan(expected.length);
    // Each member's means and intervals are its 3 runs' (mean -/+ 2 se).
    for (const member of sweep.pareto!.front) {
      const config = configs.find((c) => c.key === member.key)!;
      expect(member.n).toBe(3);
      for (const k of [0, 1]) {
        expect(member.means[k]).toBeCloseTo(config.means[k]!, 12);
        expect(member.intervals[k]![0]).toBeCloseTo(config.means[k]! - 2 * config.standardErrors[k]!, 12);
      }
    }
    // The leaderboard marks exactly the front's configs.
    expect(
      sweep.leaderboard
        .filter((e) => e.onFront)
        .map((e) => e.key)
        .sort(),
    ).toEqual([...expected].sort());
    expect(sweep.leaderboard.every((e) => typeof e.onFront === "boolean")).toBe(true);
    // The pareto plot: every config a point, the front drawn through its members.
    const plot = await app.request(`/v1/sweeps/${sweepId}/plots/pareto`);
    expect(plot.status).toBe(200);
    const svg = await plot.text();
    expect(svg).toContain(`Pareto front (${expected.length} of 36 configs)`);
    expect((svg.match(/<path[^>]*role-mark|aria-roledescription="point"/g) ?? []).length).toBeGreaterThan(0);
  });

  it("proposes each motpe trial from the objective means of the trials ended before it", async () => {
    const { app, deps } = await open();
    const space = {
      parameters: [
        { name: "width", path: "model.width", type: "int", low: 16, high: 512 },
        { name: "lr", path: "optimizer.learningRate", type: "log-uniform", low: 0.0001, high: 0.03 },
      ],
    };
    const created = await app.request(
      "/v1/sweeps",
      post({
        base: BASE,
        space,
        method: "motpe",
        objectives: OBJECTIVES,
        trials: 12,
        parallelism: 1,
        seed: 3,
      }),
    );
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as SweepView;
    const random = new SeededRandom(11);
    for (let i = 0; i < 12; i++) {
      const [run] = (await deps.store.sweepRuns(id)).filter((r) => r.status === "queued");
      const params = (run!.trial as { params: Record<string, unknown> }).params;
      await finishRun(deps.store, run!.id, fakeResult(params, 0, random));
      await deps.sweeps.tick();
    }
    expect((await deps.store.getSweep(id))?.status).toBe("succeeded");
    // Replayed with core's MOTPE: trial i from trials 0..i-1's (accuracy, ms per step), one run each.
    const runs = await deps.store.sweepRuns(id);
    const evals = await deps.store.sweepMetrics(id);
    const history: MultiObjectiveTrial[] = [];
    for (const run of runs) {
      const params = (run.trial as { params: Record<string, unknown> }).params;
      const expected = proposeMotpe({
        space: space as never,
        base: BASE as never,
        seed: 3,
        trialIndex: run.trialIndex!,
        history,
        directions: ["maximize", "minimize"],
      }).params;
      expect(params).toEqual(expected);
      const accuracy = evals.find((m) => m.runId === run.id)!.validationAccuracy!;
      history.push({
        trialIndex: run.trialIndex!,
        params: params as MultiObjectiveTrial["params"],
        values: [accuracy, run.msPerStep!],
      });
    }
    // Past its 8 random start-up trials, MOTPE's proposals are its own, not random search's.
    expect(runs).toHaveLength(12);
    const late = runs.slice(8).map((r) => (r.trial as { params: unknown }).params);
    const randomLate = [8, 9, 10, 11].map(
      (trialIndex) => proposeRandom({ space: space as never, seed: 3, trialIndex }).params,
    );
    expect(late).not.toEqual(randomLate);
  });

  it("refuses bad combinations of objectives, metric, method and repeats with problems, creating nothing", async () => {
    const { app } = await open();
    const bad = async (body: Record<string, unknown>, detail: RegExp) => {
      const response = await app.request("/v1/sweeps", post({ base: BASE, space: GRID, trials: 4, ...body }));
      const problem = (await response.json()) as { status: number; code: string; detail: string };
      expect(problem).toMatchObject({ status: 400 });
      expect(problem.detail).toMatch(detail);
    };
    await bad({ method: "motpe" }, /method motpe searches two or more objectives \(got 0\)/);
    await bad({ method: "motpe", objectives: [OBJECTIVES[0]] }, /got 1/);
    await bad({ objectives: [OBJECTIVES[0], OBJECTIVES[0]] }, /objective validationAccuracy is named twice/);
    await bad(
      { objectives: [{ metric: "validationAccuracy", direction: "minimize" }, OBJECTIVES[1]] },
      /objective validationAccuracy must maximize/,
    );
    await bad({ objectives: [OBJECTIVES[1]] }, /a single objective must be a sweep metric/);
    await bad(
      { objectives: [{ metric: "validationLoss", direction: "minimize" }], metric: "validationAccuracy" },
      /disagree/,
    );
    await bad({ objectives: OBJECTIVES, metric: "testAccuracy" }, /must be one of its objectives/);
    await bad({ maxRepeats: 4 }, /`maxRepeats` goes with `repeats: "auto"`/);
    const unknown = await app.request(
      "/v1/sweeps",
      post({
        base: BASE,
        space: GRID,
        objectives: [{ metric: "accuracy", direction: "maximize" }, OBJECTIVES[1]],
      }),
    );
    expect(await unknown.json()).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(((await (await app.request("/v1/sweeps")).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it("takes one objective as the sweep's metric, and answers a pareto plot of a single-metric sweep with 409", async () => {
    const { app } = await open();
    const response = await app.request(
      "/v1/sweeps",
      post({
        base: BASE,
        space: GRID,
        trials: 2,
        objectives: [{ metric: "validationLoss", direction: "minimize" }],
      }),
    );
    const sweep = (await response.json()) as SweepView & { direction: string };
    expect(sweep).toMatchObject({
      metric: "validationLoss",
      direction: "minimize",
      objectives: null,
      pareto: null,
    });
    const plot = await app.request(`/v1/sweeps/${sweep.id}/plots/pareto`);
    expect(plot.status).toBe(409);
    expect(await plot.json()).toMatchObject({ code: "SWEEP_SINGLE_OBJECTIVE" });
  });
});
