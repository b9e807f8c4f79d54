// The sweep page's reads: the page asks for them, and so does the entry module (main.tsx) for the page a tab opens
// on, before the app's code has loaded, under the same keys, so the page finds them under way or done.
import type { QueryClient } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";

/** Leaderboard rows fetched per request. */
export const LEADERBOARD_PAGE = 100;

/**
 * The sweep without its lists (a large sweep's are long): the tables fetch the pages in view. Read again when its
 * event stream says it changed; fresh for two seconds, so a page that opens just after the entry read it does not
 * read it again.
 */
export const sweepQuery = (id: string) => ({
  queryKey: queryKeys.sweep(id),
  queryFn: () => client.sweeps.get(id, { leaderboardLimit: 0, trialRunsLimit: 0 }),
  staleTime: 2_000,
});

/** A page of the leaderboard, as of one read of the sweep (`version`): kept until the sweep is read again. */
export function leaderboardPageQuery(sweepId: string, page: number, version: string) {
  return {
    queryKey: queryKeys.sweepLeaderboardPage(sweepId, page, version),
    queryFn: () =>
      client.sweeps.leaderboard(sweepId, { offset: page * LEADERBOARD_PAGE, limit: LEADERBOARD_PAGE }),
    staleTime: Number.POSITIVE_INFINITY,
  };
}

/**
 * The tables' pages belong to one read of the sweep (`read`: how many reads have landed, plus the one in flight)
 * in one visit of its page (a count of reads can start again after the cache dropped the sweep).
 */
export const tablesVersion = (visit: number, read: number) => `visit ${visit}, read ${read}`;

/**
 * The sweep's reads as the tables' pages count them: those landed, and the current one (plus the read in flight,
 * `inFlight`: a page's first render knows its query will fetch before the cache does).
 */
export function sweepReads(
  queryClient: QueryClient,
  id: string,
  inFlight: boolean,
): { landed: number; current: number } {
  const landed = queryClient.getQueryState(queryKeys.sweep(id))?.dataUpdateCount ?? 0;
  return { landed, current: landed + (inFlight ? 1 : 0) };
}

/** Visits of a sweep page in this tab, and the visit each sweep's first reads were asked for under. */
let visits = 0;
const reserved = new Map<string, number>();

/** The visit a sweep page opening now belongs to: the one its first reads were asked for under, if they were. */
export function takeVisit(id: string): number {
  const visit = reserved.get(id) ?? ++visits;
  reserved.delete(id);
  return visit;
}

/**
 * Asks for a sweep page's first reads (the sweep, and the leaderboard's first page under the key the page asks
 * for while that read is in flight) for the page's next visit.
 */
export function prefetchSweepPage(queryClient: QueryClient, id: string): void {
  const visit = ++visits;
  reserved.set(id, visit);
  void queryClient.prefetchQuery(sweepQuery(id));
  const { current } = sweepReads(queryClient, id, true);
  void queryClient.prefetchQuery(leaderboardPageQuery(id, 0, tablesVersion(visit, current)));
}
