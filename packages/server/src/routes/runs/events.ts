import { createRoute, z } from "@hono/zod-openapi";
import { isTerminalEvent } from "@sweeplab/core";
import type { App, AppDeps } from "../../app-types.ts";
import { problemResponses } from "../../problem.ts";
import { INT32_MAX } from "../column-limits.ts";
import { pollEvery, pollToSse } from "../poll-to-sse.ts";
import { RunIdParamsSchema } from "./schemas.ts";

/** Events read from the store per query while replaying. */
const REPLAY_PAGE = 200;

const eventsRoute = createRoute({
  method: "get",
  operationId: "getRunEvents",
  path: "/v1/runs/{id}/events",
  summary: "The run's events as server-sent events",
  description:
    "Replays the events after `Last-Event-ID` (header, or `after` query), then follows live ones, wherever the run " +
    "trains (the store is polled, so a run on another host streams too). Each SSE `event` is a RunEvent's `type` " +
    "and `data` the rest of it; each `id` is the event's sequence number. Comments keep the connection alive; the " +
    "stream ends after the run's terminal event (finished, failed, canceled, diverged, pruned). A stream that ends " +
    "without one broke: reconnect with Last-Event-ID.",
  security: [{ bearer: [] }],
  request: {
    params: RunIdParamsSchema,
    headers: z.object({ "last-event-id": z.coerce.number().int().min(0).max(INT32_MAX).optional() }),
    query: z.object({ after: z.coerce.number().int().min(0).max(INT32_MAX).optional() }),
  },
  responses: {
    200: { description: "an event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(401, 404),
  },
});

export function registerRunEventRoutes(app: App, deps: AppDeps) {
  app.openapi(eventsRoute, async (c) => {
    const { id } = c.req.valid("param");
    await deps.runs.get(id);
    let lastSent = c.req.valid("header")["last-event-id"] ?? c.req.valid("query").after ?? 0;
    return pollToSse(c, {
      shutdown: deps.shutdown,
      heartbeatMs: deps.config.heartbeatMs,
      wait: pollEvery(deps.config.pollMs),
      // A store error ends the stream without a terminal event: clients take that as a break and resume.
      async poll(send) {
        const events = await deps.store.eventsAfter(id, lastSent, REPLAY_PAGE);
        const end = events.findIndex((event) => isTerminalEvent(event.type));
        const page = end < 0 ? events : events.slice(0, end + 1);
        await send(page.map((e) => ({ id: String(e.seq), event: e.type, data: JSON.stringify(e.data) })));
        lastSent = page.at(-1)?.seq ?? lastSent;
        if (end >= 0) return "done";
        return events.length === REPLAY_PAGE ? "more" : "wait";
      },
    });
  });
}
