// A sweep as one self-contained HTML page: its summary, its leaderboard and every plot the service draws for it,
// the plots inline as the SVG the plot endpoint serves. Nothing in it refers to anything outside the file (no
// script, font, image or style sheet to fetch), and its own policy forbids fetching, so it opens offline.
import type { LeaderboardEntry } from "@sweeplab/core";
import { parameterLabel } from "../plots.ts";
import type { SweepReport } from "../report.ts";
import { importedFrom } from "./import-sweep.ts";

/** One plot as the report shows it: the drawn SVG, or why it could not be drawn. */
export type ReportPlot = { kind: string; svg: string } | { kind: string; error: string };

/** The page's policy: no script runs and nothing is fetched; inline styles and data: images only. */
export const REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1d2433; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { color: #5b6577; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #dde1e8; padding: .3rem .5rem; text-align: left; }
th { background: #f4f6f9; }
tr.within-noise td { background: #eef7ee; }
figure { margin: 1.5rem 0; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: .5rem; }
.plot-unavailable p { color: #8a4b08; }
footer { color: #5b6577; margin-top: 3rem; font-size: 12px; }
`;

/** Plot ids made unique per figure: every SVG's `id`s and references, prefixed, so clip paths never collide. */
function scopeIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}$1"`);
}

const title = (kind: string) => kind.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase());

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Columns the leaderboard always shows; any other plain field an entry carries (e.g. a front flag) follows. */
const KNOWN = new Set(["rank", "key", "params", "trialIds", "values", "n", "failures", "mean", "std"]);
const HIDDEN = new Set(["standardError", "differenceFromBest", "withinNoise"]);

function leaderboardTable(entries: readonly LeaderboardEntry[]): string {
  const params: string[] = [];
  const extra: string[] = [];
  for (const e of entries) {
    for (const name of Object.keys(e.params)) if (!params.includes(name)) params.push(name);
    for (const [key, value] of Object.entries(e)) {
      const plain = value === null || ["number", "string", "boolean"].includes(typeof value);
      if (!KNOWN.has(key) && !HIDDEN.has(key) && plain && !extra.includes(key)) extra.push(key);
    }
  }
  const head = ["rank", ...params, "mean", "std", "runs", "failures", "within noise", ...extra];
  const rows = entries.map((e) => {
    const record = e as unknown as Record<string, unknown>;
    const cells = [
      e.rank,
      // As the plots' axes name them: an optimizer as "sgd momentum=0.9".
      ...params.map((p) => (p in e.params ? parameterLabel(e.params[p]) : null)),
      e.mean,
      e.std,
      e.n,
      e.failures,
      e.withinNoise ? "yes" : "",
      ...extra.map((k) => record[k]),
    ];
    return `<tr${e.withinNoise ? ' class="within-noise"' : ""} data-key="${escapeHtml(e.key)}">${cells
      .map((c) => `<td>${escapeHtml(formatValue(c))}</td>`)
      .join("")}</tr>`;
  });
  return `<table id="leaderboard"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function figure(plot: ReportPlot, index: number): string {
  const caption = `<figcaption>${escapeHtml(title(plot.kind))}</figcaption>`;
  const kind = escapeHtml(plot.kind);
  if ("error" in plot) {
    return `<figure class="plot plot-unavailable" data-plot-kind="${kind}">${caption}<p>This plot could not be drawn for this sweep: ${escapeHtml(plot.error)}</p></figure>`;
  }
  const svg = scopeIds(plot.svg.replace(/^<\?xml[^>]*>\s*/, ""), `p${index}-`);
  return `<figure class="plot" data-plot-kind="${kind}">${caption}${svg}</figure>`;
}

/** Text inside a `<script type="application/json">`: `<` escaped, so no `</script>` in the data ends the block. */
const jsonBlock = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** The report page of a sweep, with the plots already drawn (the route draws them as the plot endpoint does). */
export function buildHtmlReport(
  report: SweepReport,
  plots: readonly ReportPlot[],
  generatedAt: Date,
): string {
  const { sweep, spec } = report;
  const name = sweep.name ?? sweep.id;
  const from = importedFrom(sweep);
  const facts: [string, string][] = [
    ["sweep", sweep.id],
    ["status", sweep.stopReason ? `${sweep.status} (${sweep.stopReason})` : sweep.status],
    ["objective", `${spec.metric} (${spec.direction})`],
    ["method", spec.method],
    ["trials", `${report.trials.length} runs of ${spec.trials} trials × ${String(spec.repeats)} repeats`],
    ["created", new Date(sweep.createdAt).toISOString()],
    ["finished", sweep.finishedAt === null ? "–" : new Date(sweep.finishedAt).toISOString()],
    [
      "best",
      report.best ? `${formatValue(report.best.mean)} with ${JSON.stringify(report.best.params)}` : "–",
    ],
    ...(from ? [["imported from", `${from.sweepId} (exported ${from.exportedAt})`] as [string, string]] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`sweeplab report: ${name}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(name)}</h1>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>
<h2>Leaderboard</h2>
${leaderboardTable(report.leaderboard)}
<h2>Plots</h2>
${plots.map(figure).join("\n")}
<script type="application/json" id="sweep-leaderboard">${jsonBlock(report.leaderboard)}</script>
<footer>sweeplab sweep report, generated ${escapeHtml(generatedAt.toISOString())}. Self-contained: it loads nothing.</footer>
</body>
</html>
`;
}
