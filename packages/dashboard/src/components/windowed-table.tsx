import type { ReactNode } from "react";
import type { WindowedRows } from "./use-windowed-rows.ts";

/**
 * A table whose body holds only rows [view.first, view.last) of `total` (spacer rows keep the scroll height):
 * `row(index)` draws a loaded row, or gives null for one whose page is still on its way, drawn as a placeholder
 * of the same height. `name` is the table's class and test id; its scrolling box's test id is `${name}-window`.
 */
export function WindowedTable(props: {
  name: string;
  view: WindowedRows;
  total: number;
  rowHeight: number;
  columns: number;
  head: ReactNode;
  row: (index: number) => ReactNode;
}) {
  const { name, view, total, rowHeight, columns, head, row } = props;
  const rows: ReactNode[] = [];
  for (let index = view.first; index < view.last; index++)
    rows.push(
      row(index) ?? (
        <tr key={`loading-${index}`} className="loading-row" style={{ height: rowHeight }}>
          <td colSpan={columns} className="muted">
            …
          </td>
        </tr>
      ),
    );
  return (
    <div
      className="table-wrap windowed"
      ref={view.ref}
      onScroll={view.onScroll}
      style={{ maxHeight: view.maxHeight }}
      data-testid={`${name}-window`}
      data-total={total}
    >
      <table className={name} data-testid={name}>
        <thead>{head}</thead>
        <tbody>
          {view.spaceBefore > 0 ? <tr className="spacer" style={{ height: view.spaceBefore }} /> : null}
          {rows}
          {view.spaceAfter > 0 ? <tr className="spacer" style={{ height: view.spaceAfter }} /> : null}
        </tbody>
      </table>
    </div>
  );
}
