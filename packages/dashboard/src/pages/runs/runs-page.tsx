import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { Link, navigate } from "../../router.tsx";
import { EmptyState } from "./empty-state.tsx";
import { type RunsFilter, RunsFilters } from "./runs-filters.tsx";
import { RunsTable } from "./runs-table.tsx";

const PAGE_SIZE = 20;

/**
 * Runs, newest or best first; polls every 2 s while any shown run is queued or running. `sweepId` (the URL's
 * `?sweep=`) shows one sweep's runs.
 */
export function RunsPage({ sweepId }: { sweepId?: string }) {
  const [filter, setFilter] = useState<RunsFilter>({ sort: "created", ...(sweepId ? { sweepId } : {}) });
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const runs = useQuery({
    queryKey: queryKeys.runsPage(filter, cursor),
    queryFn: () => client.runs.list({ ...filter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.items.some((r) => r.status === "queued" || r.status === "running") ? 2000 : 10_000,
  });
  const changeFilter = (next: RunsFilter) => {
    setFilter(next);
    setCursors([]);
  };
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const filtered = Boolean(filter.status || filter.tag || filter.sweepId);

  return (
    <section>
      <div className="page-head">
        <h1>Runs</h1>
        <div className="actions">
          <button
            type="button"
            disabled={selected.length < 2}
            onClick={() => navigate(`/compare?ids=${selected.map(encodeURIComponent).join(",")}`)}
          >
            Compare {selected.length >= 2 ? `(${selected.length})` : "selected"}
          </button>
          <Link href="/runs/new" className="button primary">
            New run
          </Link>
        </div>
      </div>
      <RunsFilters filter={filter} onChange={changeFilter} />
      {runs.isError ? (
        <p role="alert" className="error">
          {(runs.error as Error).message}
        </p>
      ) : null}
      {runs.data && runs.data.items.length === 0 && !filtered && cursors.length === 0 ? (
        <EmptyState />
      ) : (
        <RunsTable
          runs={runs.data?.items ?? []}
          loading={runs.isPending}
          selected={selected}
          onToggle={toggle}
          sort={filter.sort ?? "created"}
          onSort={(sort) => changeFilter({ ...filter, sort })}
        />
      )}
      <div className="pager">
        <button
          type="button"
          disabled={cursors.length === 0}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          Previous
        </button>
        <span>Page {cursors.length + 1}</span>
        <button
          type="button"
          disabled={!runs.data?.nextCursor}
          onClick={() => runs.data?.nextCursor && setCursors((c) => [...c, runs.data.nextCursor!])}
        >
          Next
        </button>
      </div>
    </section>
  );
}
