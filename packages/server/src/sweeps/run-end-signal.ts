import { isTerminalEvent } from "@sweeplab/core";
import type { Store } from "../store/store.ts";

/**
 * `store` as a worker uses it, calling `onEnded(runId)` once a run's terminal event is stored (written while the
 * worker held the run): a local worker tells its supervisor, whose sweep scheduler then proposes the next trial
 * at once instead of at its next poll.
 */
export function signalRunEnds(store: Store, onEnded: (runId: string) => void): Store {
  const appendEvent: Store["appendEvent"] = async (runId, event, options) => {
    const result = await store.appendEvent(runId, event, options);
    if (result.seq !== undefined && isTerminalEvent(event.type)) onEnded(runId);
    return result;
  };
  return new Proxy(store, {
    get(target, key) {
      if (key === "appendEvent") return appendEvent;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
