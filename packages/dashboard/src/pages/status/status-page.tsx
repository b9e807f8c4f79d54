import { useQuery } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { Link } from "../../router.tsx";
import { ConfigTable } from "../run/config-table.tsx";

/** How long ago, in a few characters (`3 s ago`, `2 min ago`). */
const formatAge = (seconds: number) =>
  seconds < 90 ? `${Math.round(seconds)} s ago` : `${Math.round(seconds / 60)} min ago`;

/** Backend, device, workers (host, pid, state, backend, run, heartbeat age), store and queue depth; every 2 s. */
export function StatusPage() {
  const status = useQuery({
    queryKey: queryKeys.status,
    queryFn: () => client.status(),
    refetchInterval: 2000,
  });
  if (status.isError) return <ErrorAlert error={status.error} />;
  const s = status.data;
  if (!s) return <p>Loading…</p>;
  return (
    <section>
      <h1>Status</h1>
      <dl className="facts">
        <div>
          <dt>Version</dt>
          <dd>{s.version}</dd>
        </div>
        <div>
          <dt>Up</dt>
          <dd>{Math.round(s.uptimeSeconds)} s</dd>
        </div>
        <div>
          <dt>Store</dt>
          <dd>{s.store}</dd>
        </div>
        <div>
          <dt>Queue depth</dt>
          <dd data-testid="queue-depth">{s.queueDepth}</dd>
        </div>
        <div>
          <dt>Runs</dt>
          <dd>
            {Object.entries(s.runsByStatus)
              .filter(([, n]) => n > 0)
              .map(([k, n]) => `${n} ${k}`)
              .join(", ") || "none"}
          </dd>
        </div>
      </dl>
      {s.backendProblem ? (
        <p role="alert" className="error">
          {s.backendProblem}
        </p>
      ) : null}
      <h2>Workers</h2>
      {s.workers.length === 0 ? (
        <p className="muted">
          No worker has registered: runs wait in the queue until one does (<code>WORKERS</code> on this
          service, or <code>sweeplab worker</code> on another host sharing its store).
        </p>
      ) : (
        <div className="table-wrap">
          <table data-testid="workers">
            <thead>
              <tr>
                <th>Worker</th>
                <th>Host</th>
                <th>pid</th>
                <th>State</th>
                <th>Backend</th>
                <th>Run</th>
                <th>Heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {s.workers.map((w) => (
                <tr key={w.id} data-worker-id={w.id} data-state={w.state}>
                  <td>
                    <code>{w.id}</code>
                  </td>
                  <td>{w.host}</td>
                  <td className="num">{w.pid}</td>
                  <td>{w.state}</td>
                  <td>{w.backend ? `${w.backend.name} (${w.backend.devices.join(", ") || "–"})` : "–"}</td>
                  <td>
                    {w.runId ? <Link href={`/runs/${encodeURIComponent(w.runId)}`}>{w.runId}</Link> : "–"}
                  </td>
                  <td className="num">{formatAge(w.secondsSinceHeartbeat)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Backend and device</h2>
      {s.backend ? (
        <ConfigTable config={s.backend} />
      ) : (
        <p className="muted">Known once a worker has started.</p>
      )}
    </section>
  );
}
