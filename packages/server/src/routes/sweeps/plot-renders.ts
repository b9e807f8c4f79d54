// The sweep plots as drawn: one drawing at a time (a plot of 10,000 trials takes a vega scene graph of tens of
// megabytes; five at once, times every page that asks, is what ran the process's memory up), and the last few kept
// under the sweep's change key (sweep-state.ts), so a page opened again on an unchanged sweep gets them at once.
// The store stays the one owner: a key that no longer matches the store's fingerprint is never asked for again.

/** Drawings kept (the largest SVG of a 10k sweep is about 1.5 MB). */
const KEPT = 12;

export class PlotRenders {
  private readonly kept = new Map<
    string,
    Promise<{ body: string | Uint8Array<ArrayBuffer>; sampling: string }>
  >();
  private queue: Promise<unknown> = Promise.resolve();

  /** The drawing under `key`, drawn by `draw` (after any drawing in progress) unless one is kept. */
  render(
    key: string,
    draw: () => Promise<{ body: string | Uint8Array<ArrayBuffer>; sampling: string }>,
  ): Promise<{ body: string | Uint8Array<ArrayBuffer>; sampling: string }> {
    const kept = this.kept.get(key);
    if (kept) {
      this.kept.delete(key);
      this.kept.set(key, kept);
      return kept;
    }
    const drawing = this.queue.then(draw, draw);
    this.queue = drawing.catch(() => {});
    this.kept.set(key, drawing);
    // A failed drawing is not kept.
    drawing.catch(() => this.kept.delete(key));
    for (const old of this.kept.keys()) {
      if (this.kept.size <= KEPT) break;
      this.kept.delete(old);
    }
    return drawing;
  }
}
