import { useQueries, useQuery } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { Link } from "../../router.tsx";
import { ConfigDiff } from "./config-diff.tsx";
import { OverlaidCurves } from "./overlaid-curves.tsx";

/** Two or more runs: their curves on shared axes, their configs side by side. */
export function ComparePage({ ids }: { ids: string[] }) {
  const runs = useQueries({
    queries: ids.map((id) => ({ queryKey: queryKeys.run(id), queryFn: () => client.runs.get(id) })),
  });
  const metrics = useQueries({
    queries: ids.map((id) => ({
      queryKey: queryKeys.metrics(id),
      queryFn: () => client.runs.metrics(id),
      refetchInterval: 5000,
    })),
  });
  if (ids.length < 2) return <ComparePicker />;
  const error = [...runs, ...metrics].find((q) => q.isError)?.error;
  if (error)
    return (
      <p role="alert" className="error">
        {(error as Error).message}
      </p>
    );
  const loaded = runs.every((q) => q.data) && metrics.every((q) => q.data);
  return (
    <section>
      <h1>Compare {ids.length} runs</h1>
      {loaded ? (
        <>
          <OverlaidCurves runs={runs.map((q) => q.data!)} metrics={metrics.map((q) => q.data!)} />
          <h2>Configs</h2>
          <ConfigDiff runs={runs.map((q) => q.data!)} />
        </>
      ) : (
        <p>Loading…</p>
      )}
    </section>
  );
}

function ComparePicker() {
  const recent = useQuery({
    queryKey: queryKeys.runsComparePicker,
    queryFn: () => client.runs.list({ limit: 20 }),
  });
  return (
    <section>
      <h1>Compare</h1>
      <p>
        Tick two or more runs on the <Link href="/">runs page</Link> and press Compare, or pick two recent
        ones:
      </p>
      <ul>
        {(recent.data?.items ?? []).slice(0, 10).map((run, i, all) => {
          const other = all[i + 1];
          return other ? (
            <li key={run.id}>
              <Link href={`/compare?ids=${encodeURIComponent(run.id)},${encodeURIComponent(other.id)}`}>
                {run.name ?? run.id} vs {other.name ?? other.id}
              </Link>
            </li>
          ) : null;
        })}
      </ul>
    </section>
  );
}
