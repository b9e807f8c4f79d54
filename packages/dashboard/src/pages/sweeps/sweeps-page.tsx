import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { Link } from "../../router.tsx";
import { SweepsEmptyState } from "./sweeps-empty-state.tsx";
import { SweepsTable } from "./sweeps-table.tsx";

/** Sweeps, newest first; polls every 2 s while any is running (the list has no event stream of its own). */
export function SweepsPage() {
  const sweeps = useQuery({
    queryKey: queryKeys.sweeps,
    queryFn: () => client.sweeps.list({ limit: 100 }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((s) => s.status === "running") ? 2000 : 10_000),
  });
  return (
    <section>
      <div className="page-head">
        <h1>Sweeps</h1>
        <div className="actions">
          <Link href="/sweeps/new" className="button primary">
            New sweep
          </Link>
        </div>
      </div>
      {sweeps.isError ? <ErrorAlert error={sweeps.error} /> : null}
      {sweeps.data?.items.length === 0 ? (
        <SweepsEmptyState />
      ) : (
        <SweepsTable sweeps={sweeps.data?.items ?? []} loading={sweeps.isPending} />
      )}
    </section>
  );
}
