import { useQuery } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { Link } from "../../router.tsx";
import { ConfigTable } from "../run/config-table.tsx";

/** Backend, device, workers and what they run, queue depth; refreshed every 2 s. */
export function StatusPage() {
  const status = useQuery({ queryKey: ["status"], queryFn: () => client.status(), refetchInterval: 2000 });
  if (status.isError)
    return (
      <p role="alert" className="error">
        {(status.error as Error).message}
      </p>
    );
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
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>#</th>
              <th>pid</th>
              <th>state</th>
              <th>run</th>
            </tr>
          </thead>
          <tbody>
            {s.workers.map((w) => (
              <tr key={w.id}>
                <td>{w.id}</td>
                <td>{w.pid ?? "–"}</td>
                <td>{w.state}</td>
                <td>
                  {w.runId ? <Link href={`/runs/${encodeURIComponent(w.runId)}`}>{w.runId}</Link> : "–"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Backend and device</h2>
      {s.backend ? (
        <ConfigTable config={s.backend} />
      ) : (
        <p className="muted">Known once a worker has started.</p>
      )}
    </section>
  );
}
