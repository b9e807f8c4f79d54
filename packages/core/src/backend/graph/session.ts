import type { GraphAddon, GraphHandle, GraphTensor, HostTensor, SessionHandle } from "./addon.ts";
import type { GraphVariable } from "./builder.ts";

/** A TensorFlow session over one built graph: runs it, writes variables through their assign ops, closes once. */
export class GraphSession {
  private readonly handle: SessionHandle;
  private closed = false;

  constructor(
    private readonly addon: GraphAddon,
    private readonly graph: GraphHandle,
    config: Uint8Array,
  ) {
    this.handle = addon.newSession(graph, config);
  }

  /** Feeds `feeds`, runs `targets`, returns `fetches` on the host. */
  run(feeds: [GraphTensor, HostTensor][], fetches: GraphTensor[], targets: string[] = []): HostTensor[] {
    if (this.closed) throw new Error("the graph session is closed");
    return this.addon.run(this.handle, this.graph, feeds, fetches, targets);
  }

  /** Writes each variable's value in one call. */
  assign(pairs: readonly (readonly [GraphVariable, HostTensor])[]): void {
    if (pairs.length === 0) return;
    this.run(
      pairs.map(([v, value]) => [v.feed, value]),
      [],
      pairs.map(([v]) => v.assign),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.addon.closeSession(this.handle);
  }
}
