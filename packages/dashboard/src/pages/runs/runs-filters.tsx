import type { Run, RunListQuery } from "@sweeplab/sdk";
import { useState } from "react";
import { Link } from "../../router.tsx";

/** What the runs page filters its list by. */
export type RunsFilter = Pick<RunListQuery, "status" | "tag" | "sort" | "sweepId">;

const STATUSES: Run["status"][] = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "diverged",
  "pruned",
  "canceled",
];

export function RunsFilters({ filter, onChange }: { filter: RunsFilter; onChange: (f: RunsFilter) => void }) {
  const [tag, setTag] = useState(filter.tag ?? "");
  return (
    <form
      className="filters"
      onSubmit={(e) => {
        e.preventDefault();
        onChange({ ...filter, tag: tag.trim() || undefined });
      }}
    >
      <label>
        Status
        <select
          value={filter.status ?? ""}
          onChange={(e) =>
            onChange({ ...filter, status: (e.target.value || undefined) as RunsFilter["status"] })
          }
        >
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tag
        <input value={tag} onChange={(e) => setTag(e.target.value)} placeholder="e.g. baseline" />
      </label>
      <button type="submit">Filter</button>
      {filter.sweepId ? (
        <span className="filter-chip" data-testid="sweep-filter">
          sweep <Link href={`/sweeps/${encodeURIComponent(filter.sweepId)}`}>{filter.sweepId}</Link>{" "}
          <Link href="/" aria-label="show runs of every sweep">
            ×
          </Link>
        </span>
      ) : null}
    </form>
  );
}
