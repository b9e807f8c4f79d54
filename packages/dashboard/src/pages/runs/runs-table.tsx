import type { Run } from "@sweeplab/sdk";
import { StatusBadge } from "../../components/status-badge.tsx";
import { describeModel, describeTraining, formatDate, formatMs, formatPercent } from "../../format.ts";
import { Link } from "../../router.tsx";
import type { RunsFilter } from "./runs-filters.tsx";

type Sort = NonNullable<RunsFilter["sort"]>;

function SortHeader({
  label,
  value,
  sort,
  onSort,
}: {
  label: string;
  value: Sort;
  sort: Sort;
  onSort: (s: Sort) => void;
}) {
  return (
    <th aria-sort={sort === value ? "descending" : "none"}>
      <button type="button" className="link-button" onClick={() => onSort(value)}>
        {label} {sort === value ? "↓" : ""}
      </button>
    </th>
  );
}

export function RunsTable(props: {
  runs: Run[];
  loading: boolean;
  selected: string[];
  onToggle: (id: string) => void;
  sort: Sort;
  onSort: (s: Sort) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="runs">
        <thead>
          <tr>
            <th>
              <span className="sr-only">Select</span>
            </th>
            <th>Status</th>
            <th>Name</th>
            <th>Tags</th>
            <th>Model</th>
            <th>Optimizer</th>
            <th>Steps</th>
            <SortHeader label="Test acc." value="testAccuracy" sort={props.sort} onSort={props.onSort} />
            <th>Step time</th>
            <SortHeader label="Created" value="created" sort={props.sort} onSort={props.onSort} />
          </tr>
        </thead>
        <tbody>
          {props.loading ? (
            <tr>
              <td colSpan={10}>Loading…</td>
            </tr>
          ) : null}
          {props.runs.map((run) => (
            <tr key={run.id} data-run-id={run.id} data-status={run.status}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`select ${run.name ?? run.id} for comparison`}
                  checked={props.selected.includes(run.id)}
                  onChange={() => props.onToggle(run.id)}
                />
              </td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td>
                <Link href={`/runs/${encodeURIComponent(run.id)}`}>{run.name ?? run.id}</Link>
                {run.sweepId ? (
                  <Link href={`/sweeps/${encodeURIComponent(run.sweepId)}`} className="tag sweep-tag">
                    sweep trial #{run.trialIndex}
                  </Link>
                ) : null}
              </td>
              <td>
                {run.tags.map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
              </td>
              <td>{describeModel(run.config)}</td>
              <td>{describeTraining(run.config)}</td>
              <td className="num">
                {run.step}/{run.totalSteps}
              </td>
              <td className="num">{formatPercent(run.testAccuracy)}</td>
              <td className="num">{formatMs(run.msPerStep)}</td>
              <td>{formatDate(run.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
