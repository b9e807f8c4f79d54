import { PLOT_KINDS, type SweepExport, SweepExportSchema } from "@sweeplab/contract";
import { describe, expect, it } from "vitest";
import { DIALECTS } from "../../test-support/databases.ts";
import { useDialectApps } from "../../test-support/dialect-apps.ts";
import { createFinishedSweep } from "../../test-support/finished-sweep.ts";
import { testSweepSpec } from "../../test-support/sweep-spec.ts";
import { assertNotImported } from "./import-sweep.ts";

type App = Awaited<ReturnType<ReturnType<typeof useDialectApps>>>;
type Leaderboard = { trialIds: string[] }[];
type SweepView = {
  status: string;
  stopReason: string | null;
  leaderboard: Leaderboard;
  best: unknown;
  importance: unknown;
  trialRuns: { runId: string; status: string }[];
};

/** The plot kinds every sweep draws (a kind for several objectives may explain instead, see html-report.ts). */
const ALWAYS_DRAWN = [
  "parallel-coordinates",
  "metric-by-parameter",
  "best-so-far",
  "validation-curves",
  "importance",
];

const postJson = (body: string) => ({
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body,
});

async function exportOf(test: App, id: string): Promise<SweepExport> {
  const response = await test.app.request(`/v1/sweeps/${id}/export`);
  expect(response.status).toBe(200);
  return SweepExportSchema.parse(await response.json());
}

async function importInto(test: App, file: unknown) {
  const response = await test.app.request("/v1/sweeps/import", postJson(JSON.stringify(file)));
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; importedFrom: string; runIds: Record<string, string> };
}

const sweepOf = async (test: App, id: string) =>
  (await (await test.app.request(`/v1/sweeps/${id}`)).json()) as SweepView;

/** Run ids mapped to what an import named them: the rest of the leaderboard must match as it is. */
const renamed = (board: Leaderboard, ids: Record<string, string>) =>
  board.map((e) => ({ ...e, trialIds: e.trialIds.map((id) => ids[id]) }));

const PAIRS = DIALECTS.flatMap((from) =>
  DIALECTS.map((to) => ({ from, to, name: `${from.dialect} -> ${to.dialect}` })),
);

describe.each(PAIRS)("sweep export and import, $name", ({ from, to }) => {
  const openSource = useDialectApps(from.create);
  const openTarget = useDialectApps(to.create);

  it("imports on a second store with the same leaderboard, best, importance, metrics and events", async () => {
    const source = await openSource();
    const target = await openTarget();
    await createFinishedSweep(source.deps.store, source.deps.sweeps, "swp_shared");
    const file = await exportOf(source, "swp_shared");
    expect(file.trials.map((t) => t.runs.map((r) => [r.status, r.seed, r.attempts]))).toEqual([
      [
        ["succeeded", 0, 1],
        ["succeeded", 1, 1],
      ],
      [
        ["succeeded", 0, 1],
        ["succeeded", 1, 1],
      ],
      [
        ["succeeded", 0, 1],
        ["failed", 1, 1],
      ],
    ]);
    expect(file.trials[0]!.runs[0]!.metrics.map((m) => [m.kind, m.step])).toEqual([
      ["eval", 10],
      ["step", 10],
      ["eval", 20],
      ["step", 20],
    ]);
    expect(file.trials[0]!.runs[0]!.environment?.backend.name).toBe("tensorflow");

    const result = await importInto(target, file);
    expect(result.id).not.toBe("swp_shared");
    const original = await sweepOf(source, "swp_shared");
    const imported = await sweepOf(target, result.id);
    expect(original.leaderboard.length).toBe(3);
    expect(imported.leaderboard).toEqual(renamed(original.leaderboard, result.runIds));
    expect(imported.best).toEqual(original.best);
    expect(imported.importance).toEqual(original.importance);
    expect(imported).toMatchObject({ status: "succeeded", stopReason: null, importedFrom: "swp_shared" });
    expect(original).not.toHaveProperty("importedFrom");

    // Everything stored comes back out: the imported sweep exports as the original did, ids aside.
    const again = await exportOf(target, result.id);
    const withoutIds = (f: SweepExport) =>
      f.trials.map(({ runs, ...trial }) => ({ ...trial, runs: runs.map(({ id: _id, ...run }) => run) }));
    expect(withoutIds(again)).toEqual(withoutIds(file));
    expect(again.sweep.spec.imported).toMatchObject({ sweepId: "swp_shared", exportedStatus: "succeeded" });

    // Read-only: the scheduler proposes nothing for it, and its runs' event streams end.
    await target.deps.sweeps.tick();
    expect((await target.deps.store.sweepRuns(result.id)).length).toBe(6);
    const cancel = await target.app.request(`/v1/sweeps/${result.id}/cancel`, { method: "POST" });
    expect(cancel.status).toBe(409);
    // Resume, retry and extend are refused: the sweep would be set running and never advanced.
    for (const [action, body] of [
      ["resume", {}],
      ["retry", undefined],
      ["extend", { trials: 1 }],
    ] as const) {
      const refused = await target.app.request(`/v1/sweeps/${result.id}/${action}`, {
        method: "POST",
        ...(body ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {}),
      });
      expect([action, refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
        action,
        409,
        "SWEEP_IMPORTED",
      ]);
    }
    expect((await target.deps.store.getSweep(result.id))!.status).toBe("succeeded");
    const importedRecord = (await target.deps.store.getSweep(result.id))!;
    const sourceRecord = await source.deps.store.getSweep("swp_shared");
    expect(() => assertNotImported(importedRecord)).toThrow(/imported \(from swp_shared\): it is read-only/);
    expect(() => assertNotImported(importedRecord)).toThrow(
      expect.objectContaining({ status: 409, code: "SWEEP_IMPORTED" }),
    );
    expect(() => assertNotImported(sourceRecord!)).not.toThrow();
  });
});

describe.each(DIALECTS)("sweep import on $dialect", ({ create }) => {
  const open = useDialectApps(create);

  async function expectNothingWritten(test: App) {
    expect(await test.deps.store.listSweeps(10)).toEqual([]);
    const counts = await test.deps.store.countRunsByStatus();
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  }

  async function expectRefused(test: App, body: string, status: number, code: string, detail: RegExp) {
    const response = await test.app.request("/v1/sweeps/import", postJson(body));
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { code: string; detail: string };
    expect(problem.code).toBe(code);
    expect(problem.detail).toMatch(detail);
    await expectNothingWritten(test);
  }

  it("refuses a malformed file, another format, another version and a broken one, writing nothing", async () => {
    const source = await open();
    await createFinishedSweep(source.deps.store, source.deps.sweeps, "swp_src");
    const file = await exportOf(source, "swp_src");
    const test = await open();
    await expectRefused(test, "{ not json", 400, "BAD_REQUEST", /json/i);
    await expectRefused(
      test,
      JSON.stringify({ ...file, format: "mlflow" }),
      400,
      "VALIDATION_FAILED",
      /format/,
    );
    await expectRefused(test, JSON.stringify({ ...file, version: 2 }), 400, "VALIDATION_FAILED", /version 1/);
    const cut = structuredClone(file);
    delete (cut.trials[1]!.runs[0] as Partial<(typeof cut.trials)[0]["runs"][0]>).config;
    await expectRefused(test, JSON.stringify(cut), 400, "VALIDATION_FAILED", /trials\.1\.runs\.0\.config/);
    const twice = structuredClone(file);
    twice.trials[0]!.runs[1]!.repeatIndex = 0;
    await expectRefused(
      test,
      JSON.stringify(twice),
      400,
      "INVALID_SWEEP_EXPORT",
      /repeat 0 attempt 0 appears twice/,
    );
    const gap = structuredClone(file);
    gap.trials[2]!.runs[1]!.events.splice(1, 1);
    await expectRefused(test, JSON.stringify(gap), 400, "INVALID_SWEEP_EXPORT", /events\.1\.seq/);
    const orphan = structuredClone(file);
    orphan.trials[1]!.runs[1]!.retryOf = "run_elsewhere";
    await expectRefused(test, JSON.stringify(orphan), 400, "INVALID_SWEEP_EXPORT", /no earlier attempt/);
    const unended = structuredClone(file);
    unended.trials[0]!.runs[0]!.events.pop();
    await expectRefused(test, JSON.stringify(unended), 400, "INVALID_SWEEP_EXPORT", /succeeded run's do/);
    // And the file itself still imports.
    await importInto(test, file);
  });

  it("refuses a file over SWEEPLAB_MAX_IMPORT_BYTES with 413, and takes one over the request body limit", async () => {
    const source = await open();
    await createFinishedSweep(source.deps.store, source.deps.sweeps, "swp_big");
    const body = JSON.stringify(await exportOf(source, "swp_big"));
    const small = await open({ SWEEPLAB_MAX_IMPORT_BYTES: String(body.length - 1) });
    await expectRefused(small, body, 413, "BODY_TOO_LARGE", /SWEEPLAB_MAX_IMPORT_BYTES/);
    const roomy = await open({ SWEEPLAB_MAX_BODY_BYTES: "2048" });
    expect(body.length).toBeGreaterThan(2048);
    await importInto(roomy, JSON.parse(body));
  });

  it("imports a running sweep's snapshot canceled, its unfinished runs canceled, and schedules nothing", async () => {
    const source = await open();
    await source.deps.store.createSweep({ id: "swp_live", name: null, spec: testSweepSpec({ trials: 3 }) });
    await source.deps.sweeps.tick();
    const file = await exportOf(source, "swp_live");
    expect(file.sweep.status).toBe("running");
    expect(file.trials.flatMap((t) => t.runs.map((r) => r.status))).toEqual(["queued"]);

    const target = await open();
    const { id, runIds } = await importInto(target, file);
    const imported = await sweepOf(target, id);
    expect(imported.status).toBe("canceled");
    expect(imported.stopReason).toMatch(/^still running when exported/);
    expect(imported.trialRuns.map((r) => r.status)).toEqual(["canceled"]);
    const runId = Object.values(runIds)[0]!;
    const events = await target.deps.store.eventsAfter(runId, 0, 10);
    expect(events.map((e) => e.type)).toEqual(["queued", "canceled"]);
    await target.deps.sweeps.tick();
    expect((await target.deps.store.sweepRuns(id)).length).toBe(1);
    expect((await target.deps.store.countRunsByStatus()).queued).toBe(0);
  });

  it("keeps a trial's attempts (a re-run and the run it re-runs) where the store records them", async (ctx) => {
    const source = await open();
    await createFinishedSweep(source.deps.store, source.deps.sweeps, "swp_attempts");
    // A store without trial attempts (before re-runs existed) has no such runs to export or import.
    if (!("trialAttempt" in (await source.deps.store.sweepRuns("swp_attempts"))[0]!)) ctx.skip();
    const file = await exportOf(source, "swp_attempts");
    // Trial 2's failed repeat 1, re-run and succeeded: the latest attempt is the one that counts.
    const [succeeded, failed] = file.trials[2]!.runs as [
      SweepExport["trials"][0]["runs"][0],
      SweepExport["trials"][0]["runs"][0],
    ];
    file.trials[2]!.runs.push({
      ...structuredClone(succeeded),
      config: failed.config,
      seed: failed.seed,
      id: "run_retry",
      repeatIndex: 1,
      trialAttempt: 1,
      retryOf: failed.id,
    });
    const target = await open();
    const { id, runIds } = await importInto(target, file);
    const again = await exportOf(target, id);
    const back = Object.fromEntries(Object.entries(runIds).map(([from, to]) => [to, from]));
    const runs = again.trials[2]!.runs.map((r) => [
      r.repeatIndex,
      r.trialAttempt,
      r.retryOf && back[r.retryOf],
      r.status,
    ]);
    expect(runs).toEqual([
      [0, 0, null, "succeeded"],
      [1, 0, null, "failed"],
      [1, 1, failed.id, "succeeded"],
    ]);
    const board = (await sweepOf(target, id)).leaderboard as unknown as {
      trialIds: string[];
      failures: number;
    }[];
    const entry = board.find((e) => e.trialIds.includes(runIds.run_retry!));
    expect(entry).toMatchObject({ failures: 0, trialIds: [runIds[succeeded.id], runIds.run_retry] });
  });

  it("never schedules an imported sweep, even one whose status says running", async () => {
    const test = await open();
    const imported = { sweepId: "swp_elsewhere", exportedAt: "2026-01-01T00:00:00.000Z" };
    await test.deps.store.createSweep({
      id: "swp_marked",
      name: null,
      spec: { ...testSweepSpec(), imported },
    });
    await test.deps.sweeps.tick();
    expect(await test.deps.store.sweepRuns("swp_marked")).toEqual([]);
    expect((await test.deps.store.getSweep("swp_marked"))?.status).toBe("running");
  });

  it("writes all of an import or nothing: a failing row rolls the whole sweep back", async () => {
    const source = await open();
    await createFinishedSweep(source.deps.store, source.deps.sweeps, "swp_tx");
    const file = await exportOf(source, "swp_tx");
    const { toImportedSweep } = await import("./import-sweep.ts");
    const { imported } = toImportedSweep(file, Date.now());
    // Two runs under one id: the second insert fails after the sweep and the first run were written.
    imported.runs[1]!.row.id = imported.runs[0]!.row.id;
    const target = await open();
    await expect(target.deps.store.importSweep(imported)).rejects.toThrow();
    await expectNothingWritten(target);
  });

  it("serves a self-contained HTML report: the leaderboard and one figure per plot kind, nothing to fetch", async () => {
    const test = await open();
    await createFinishedSweep(test.deps.store, test.deps.sweeps, "swp_report");
    const response = await test.app.request("/v1/sweeps/swp_report/report.html");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    const html = await response.text();
    const figures = [...html.matchAll(/<figure class="plot( plot-unavailable)?" data-plot-kind="([^"]+)">/g)];
    expect(figures.map((m) => m[2])).toEqual([...PLOT_KINDS]);
    const drawn = figures.filter((m) => !m[1]).map((m) => m[2]);
    expect(drawn).toEqual(expect.arrayContaining(ALWAYS_DRAWN));
    expect(html.match(/<tr[^>]*data-key=/g)?.length).toBe(3);
    // No reference to anything outside the file: the only URLs are SVG's namespace names.
    const urls = [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(new Set(urls.filter((u) => !u.startsWith("http://www.w3.org/")))).toEqual(new Set());
    expect(html).not.toMatch(/<(script|link|img|iframe)\b(?![^>]*type="application\/json")/);
    expect((await test.app.request("/v1/sweeps/swp_nope/report.html")).status).toBe(404);
  });
});

describe("the HTML report's figures", () => {
  it("gives a plot that cannot be drawn its figure, saying why, escaped", async () => {
    const { buildHtmlReport } = await import("./html-report.ts");
    const report = {
      sweep: {
        id: "swp_x",
        name: "<b>x</b>",
        status: "succeeded",
        stopReason: null,
        createdAt: 0,
        finishedAt: 0,
        spec: {},
      },
      spec: testSweepSpec(),
      trials: [],
      leaderboard: [],
      best: null,
      importance: [],
      plotTrials: [],
    } as unknown as Parameters<typeof buildHtmlReport>[0];
    const html = buildHtmlReport(
      report,
      [
        { kind: "best-so-far", svg: '<svg><clipPath id="clip1"/><g clip-path="url(#clip1)"/></svg>' },
        { kind: "pareto-front", error: "needs two objectives, <this sweep has one>" },
      ],
      new Date(0),
    );
    expect(html).toContain(
      '<figure class="plot plot-unavailable" data-plot-kind="pareto-front"><figcaption>Pareto front</figcaption>' +
        "<p>This plot could not be drawn for this sweep: needs two objectives, &lt;this sweep has one&gt;</p></figure>",
    );
    // Each figure's SVG ids are its own, so clip paths of different plots never collide.
    expect(html).toContain('<clipPath id="p0-clip1"/><g clip-path="url(#p0-clip1)"/>');
    expect(html).toContain("<h1>&lt;b&gt;x&lt;/b&gt;</h1>");
  });
});
