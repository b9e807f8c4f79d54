import { useCallback, useRef, useState } from "react";

export interface WindowedRows {
  /** The scrolling box: its `onScroll` moves the window. */
  ref: React.RefObject<HTMLDivElement | null>;
  onScroll: () => void;
  /** Rows [first, last) are in the DOM; the space of those above and below is kept by two spacer rows. */
  first: number;
  last: number;
  spaceBefore: number;
  spaceAfter: number;
  /** The box's height: `visibleRows` rows and the header. */
  maxHeight: number;
}

/**
 * A windowed table body: of `total` rows of `rowHeight` pixels only those in view (and `overscan` more on each
 * side) are rendered, so a table of 10,000 rows costs what one of a few dozen does.
 */
export function useWindowedRows(
  total: number,
  options: { rowHeight: number; visibleRows: number; overscan?: number },
): WindowedRows {
  const { rowHeight, visibleRows, overscan = 8 } = options;
  const ref = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef<number | undefined>(undefined);
  const onScroll = useCallback(() => {
    if (frame.current !== undefined) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = undefined;
      setScrollTop(ref.current?.scrollTop ?? 0);
    });
  }, []);
  const first = Math.min(total, Math.max(0, Math.floor(scrollTop / rowHeight) - overscan));
  const last = Math.min(total, Math.ceil(scrollTop / rowHeight) + visibleRows + overscan);
  return {
    ref,
    onScroll,
    first,
    last,
    spaceBefore: first * rowHeight,
    spaceAfter: (total - last) * rowHeight,
    maxHeight: (visibleRows + 1) * rowHeight + 8,
  };
}

/** The pages of `pageSize` rows that hold rows [first, last). */
export function pagesOf(first: number, last: number, pageSize: number): number[] {
  if (last <= first) return [];
  const pages: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor((last - 1) / pageSize); p++) pages.push(p);
  return pages;
}
