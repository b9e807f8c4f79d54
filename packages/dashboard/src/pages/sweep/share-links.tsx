import type { Sweep } from "@sweeplab/sdk";

/**
 * The sweep as one file (`sweeplab sweep import` or `POST /v1/sweeps/import` reads it on any service) and its
 * self-contained HTML report: plain same-origin links, which the session cookie authorises like the page's own
 * requests.
 */
export function ShareLinks({ sweep }: { sweep: Sweep }) {
  const base = `/v1/sweeps/${encodeURIComponent(sweep.id)}`;
  return (
    <>
      <a
        className="button"
        href={`${base}/export`}
        download={`${sweep.id}.sweep.json`}
        title="the sweep as one file: spec, trials, metrics (no weights)"
      >
        Export
      </a>
      <a
        className="button"
        href={`${base}/report.html`}
        download={`${sweep.id}.report.html`}
        title="one HTML file with the leaderboard and every plot; opens offline"
      >
        Report
      </a>
    </>
  );
}
