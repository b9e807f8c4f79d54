import { flattenConfig, formatValue } from "../../format.ts";

export function ConfigTable({ config }: { config: unknown }) {
  return (
    <table className="kv">
      <tbody>
        {Object.entries(flattenConfig(config)).map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{key}</th>
            <td>{formatValue(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
