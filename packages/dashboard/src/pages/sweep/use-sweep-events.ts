import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { isUnauthorized, loginRequired } from "../../api/session.ts";

/**
 * Follows `client.sweeps.events(id)` while the page is open: each trial event (a trial run appeared or changed
 * status) and the closing `sweep` event refresh the sweep's query, at most every 500 ms; the plots follow the
 * sweep's data (see `sweepVersion`). The stream ends by itself when the sweep does. Without its snapshot: the page
 * reads the sweep itself and only needs to know when to read it again (a 10,000-trial sweep's snapshot is 10,000
 * events, about 2.5 MB, that the page would parse and throw away).
 */
export function useSweepEvents(sweepId: string, live: boolean) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!live) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      void queryClient.invalidateQueries({ queryKey: queryKeys.sweep(sweepId), exact: true });
      void queryClient.invalidateQueries({ queryKey: queryKeys.sweeps });
    };
    (async () => {
      try {
        for await (const _event of client.sweeps.events(sweepId, { signal: abort.signal, snapshot: false }))
          timer ??= setTimeout(refresh, 500);
        clearTimeout(timer);
        refresh();
      } catch (error) {
        if (abort.signal.aborted) return;
        if (isUnauthorized(error)) loginRequired.set(true);
      }
    })();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [sweepId, live, queryClient]);
}
