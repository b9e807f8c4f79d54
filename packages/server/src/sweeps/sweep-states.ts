// The sweeps' in-memory states (sweep-state.ts), one per sweep that was read lately: the routes, the event streams
// and the scheduler share them, so a sweep's runs are read once per change, not once per reader. The least recently
// used ones are dropped past a total number of runs held (a dropped one is read again in full when next asked for).
import type { Store, SweepRecord } from "../store/store.ts";
import type { SweepSpec } from "./sweep-spec.ts";
import { SweepState } from "./sweep-state.ts";

/** Runs held over all states before the least recently used states are dropped (about 1 KB each). */
const DEFAULT_MAX_RUNS = 100_000;

export class SweepStates {
  private readonly states = new Map<string, SweepState>();

  constructor(
    private readonly store: Store,
    private readonly maxRuns = DEFAULT_MAX_RUNS,
  ) {}

  /** The sweep's state, up to date with every write that committed before the call. */
  async get(sweep: SweepRecord): Promise<SweepState> {
    let state = this.states.get(sweep.id);
    if (state) this.states.delete(sweep.id);
    else state = new SweepState(sweep.id, this.store);
    // Most recently used last.
    this.states.set(sweep.id, state);
    await state.refresh(sweep.spec as SweepSpec);
    this.evict(state);
    return state;
  }

  /** Forgets a sweep (deleted). */
  drop(sweepId: string): void {
    this.states.delete(sweepId);
  }

  private evict(keep: SweepState): void {
    let total = 0;
    for (const s of this.states.values()) total += s.size;
    for (const [id, s] of this.states) {
      if (total <= this.maxRuns) return;
      if (s === keep) continue;
      this.states.delete(id);
      total -= s.size;
    }
  }
}
