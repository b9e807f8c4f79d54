// GET /v1/sweeps/{id}/events: a stream over the sweep's shared feed (sweeps/sweep-feed.ts): its snapshot first,
// then what changed, then the summary; the store is read by the feed, once per sweep, not once per stream.
import type { App, AppDeps } from "../../app-types.ts";
import { ProblemError } from "../../problem.ts";
import type { TrialRow } from "../../sweeps/report.ts";
import type { SweepFeeds } from "../../sweeps/sweep-feed.ts";
import { pollToSse } from "../poll-to-sse.ts";
import { sweepEvents } from "./definitions.ts";

/** Each row is written to many streams: it is serialised once. */
const json = new WeakMap<TrialRow, string>();
function serialized(row: TrialRow): string {
  let text = json.get(row);
  if (text === undefined) {
    text = JSON.stringify(row);
    json.set(row, text);
  }
  return text;
}

/** Trial events per write. */
const ROWS_PER_WRITE = 500;

/** The longest a stream waits for its feed before it checks whether a heartbeat is due. */
const MAX_WAIT_MS = 5000;

export function registerSweepEventRoutes(app: App, deps: AppDeps, feeds: SweepFeeds) {
  app.openapi(sweepEvents, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await deps.store.getSweep(id))) throw new ProblemError(404, "SWEEP_NOT_FOUND", `no sweep ${id}`);
    const subscription = await feeds.subscribe(id, { snapshot: c.req.valid("query").snapshot === "true" });
    return pollToSse(c, {
      shutdown: deps.shutdown,
      heartbeatMs: deps.config.heartbeatMs,
      wait: (signal) => subscription.wait(Math.min(deps.config.heartbeatMs, MAX_WAIT_MS), signal),
      onClose: subscription.close,
      async poll(send) {
        // A snapshot of 10,000 runs goes out in parts: no one write (nor its string) holds all of it.
        const { rows, more, summary } = subscription.take(ROWS_PER_WRITE);
        await send(rows.map((row) => ({ event: "trial", data: serialized(row) })));
        if (more) return "more";
        if (summary === undefined) return "wait";
        await send({ event: "sweep", data: JSON.stringify(summary) });
        return "done";
      },
    });
  });
}
