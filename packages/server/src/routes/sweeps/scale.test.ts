// The sweep routes over a large sweep (the fixture, small enough for a test): the sweeps list is what the full
// per-sweep report made of it before, the leaderboard pages through the same entries as the whole, and the plots
// say what they sampled.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { buildSweepReport } from "../../sweeps/report.ts";
import { DIALECTS } from "../../test-support/databases.ts";
import { useDialectApps } from "../../test-support/dialect-apps.ts";
import { insertLargeSweep } from "../../test-support/large-sweep.ts";
import { testSweepSpec } from "../../test-support/sweep-spec.ts";
import { toSweepResource, toSweepSummary } from "./resource.ts";

describe.each(DIALECTS)("sweep routes at scale on $dialect", ({ create }) => {
  const open = useDialectApps(create);

  it("lists sweeps exactly as the full report of each made them, before and after a change", async () => {
    // The estimated finish reads the clock: both sides read the same moment.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 11, 3) });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { app, deps } = await open();
    await insertLargeSweep(deps.store, { id: "swp_big", trials: 300, evals: 5, active: 4, createdAt: 1 });
    await insertLargeSweep(deps.store, { id: "swp_done", trials: 40, evals: 3, active: 0, createdAt: 2 });
    await deps.store.createSweep({ id: "swp_empty", name: null, spec: testSweepSpec() });
    const expected = async () => {
      const sweeps = await deps.store.listSweeps(50);
      return Promise.all(sweeps.map(async (s) => toSweepSummary(await buildSweepReport(deps.store, s))));
    };
    type Summary = ReturnType<typeof toSweepSummary>;
    const list = async () => ((await (await app.request("/v1/sweeps")).json()) as { items: Summary[] }).items;
    expect((await list()).map((s) => s.id)).toEqual(["swp_empty", "swp_done", "swp_big"]);
    expect(await list()).toEqual(await expected());
    const [queued] = (await deps.store.sweepRuns("swp_big")).filter((r) => r.status === "queued");
    await deps.store.requestCancel(queued!.id, "test");
    const after = await list();
    expect(after.find((s) => s.id === "swp_big")!.runsByStatus.canceled).toBe(1);
    expect(after).toEqual(await expected());
  });

  it("pages the leaderboard through the same entries as the whole, each page with its entries' runs", async () => {
    const { app, deps } = await open();
    await insertLargeSweep(deps.store, { id: "swp_pages", trials: 250, evals: 3, active: 5 });
    const full = toSweepResource(
      await buildSweepReport(deps.store, (await deps.store.getSweep("swp_pages"))!),
    );
    const entries = [];
    for (let offset = 0; ; offset += 100) {
      const page = (await (
        await app.request(`/v1/sweeps/swp_pages/leaderboard?offset=${offset}&limit=100`)
      ).json()) as { entries: typeof full.leaderboard; trialRuns: typeof full.trialRuns };
      expect(page).toMatchObject({ total: 250, offset });
      const ids = page.entries.flatMap((e) => e.trialIds.map(String)).sort();
      expect(page.trialRuns.map((t) => t.runId).sort()).toEqual(ids);
      entries.push(...page.entries);
      if (page.entries.length < 100) break;
    }
    expect(entries).toEqual(full.leaderboard);
    const limited = (await (
      await app.request("/v1/sweeps/swp_pages?leaderboardLimit=10&trialRunsLimit=0")
    ).json()) as typeof full;
    expect(limited.leaderboard).toEqual(full.leaderboard.slice(0, 10));
    expect(limited).toMatchObject({ trialRuns: [], leaderboardTotal: 250, trialRunsTotal: 250 });
    expect(limited.best).toEqual(full.best);
    const trials = await (await app.request("/v1/sweeps/swp_pages/trials?offset=240&limit=100")).json();
    expect(trials).toEqual({ total: 250, offset: 240, items: full.trialRuns.slice(240) });
  });

  it("draws at most the capped curves, with the best, and says so in a header and the figure", async () => {
    const { app, deps } = await open();
    await insertLargeSweep(deps.store, { id: "swp_plots", trials: 600, evals: 60, active: 2 });
    const res = await app.request("/v1/sweeps/swp_plots/plots/validation-curves?format=svg");
    expect(res.status).toBe(200);
    const sampling = JSON.parse(res.headers.get("sweeplab-plot-sampling")!);
    expect(sampling).toEqual({
      trials: { shown: 50, of: 598, method: "best+stride" },
      points: { maxPerCurve: 40, method: "lttb+best" },
    });
    expect(await res.text()).toContain("showing 50 of 598 curves");
    const scatter = await app.request("/v1/sweeps/swp_plots/plots/parallel-coordinates?format=svg");
    expect(JSON.parse(scatter.headers.get("sweeplab-plot-sampling")!).trials).toMatchObject({
      shown: 500,
      method: "best+stride",
    });
    const importance = await app.request("/v1/sweeps/swp_plots/plots/importance?format=svg");
    expect(JSON.parse(importance.headers.get("sweeplab-plot-sampling")!).trials.method).toBe("all");
    // A drawing is kept while the sweep does not change, and drawn again once it does.
    const curvesOf = async () => {
      const again = await app.request("/v1/sweeps/swp_plots/plots/validation-curves?format=svg");
      return JSON.parse(again.headers.get("sweeplab-plot-sampling")!).trials.of;
    };
    expect(await curvesOf()).toBe(598);
    const [queued] = (await deps.store.sweepRuns("swp_plots")).filter((r) => r.status === "queued");
    await deps.store.requestCancel(queued!.id, "test");
    expect(await curvesOf()).toBe(599);
  });
});
