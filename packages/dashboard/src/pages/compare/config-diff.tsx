import type { Run } from "@sweeplab/sdk";
import { flattenConfig, formatValue } from "../../format.ts";

/** Every config key in rows, one column per run; rows whose values differ are highlighted and listed first. */
export function ConfigDiff({ runs }: { runs: Run[] }) {
  const flat = runs.map((r) => flattenConfig(r.config));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))];
  const differs = (key: string) => new Set(flat.map((f) => formatValue(f[key]))).size > 1;
  const ordered = [...keys.filter(differs), ...keys.filter((k) => !differs(k))];
  return (
    <div className="table-wrap">
      <table className="kv diff" data-testid="config-diff">
        <thead>
          <tr>
            <th>key</th>
            {runs.map((r) => (
              <th key={r.id}>{r.name ?? r.id}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ordered.map((key) => (
            <tr key={key} className={differs(key) ? "differs" : undefined} data-differs={differs(key)}>
              <th scope="row">{key}</th>
              {flat.map((f, i) => (
                <td key={runs[i]!.id}>{formatValue(f[key])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
