import { setTimeout as sleep } from "node:timers/promises";
import { createRoute, z } from "@hono/zod-openapi";
import { isTerminalEvent } from "@sweeplab/core";
import { streamSSE } from "hono/streaming";
import type { App, AppDeps } from "../../app-types.ts";
import { problemResponses } from "../../problem.ts";
import { INT32_MAX } from "../column-limits.ts";
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
    const after = c.req.valid("header")["last-event-id"] ?? c.req.valid("query").after ?? 0;
    return streamSSE(c, async (stream) => {
      const closed = new AbortController();
      stream.onAbort(() => closed.abort());
      const stop = AbortSignal.any([deps.shutdown, closed.signal]);
      let lastSent = after;
      let lastWrite = Date.now();
      let ended = false;
      while (!ended && !stop.aborted) {
        // A store error ends the stream without a terminal event: clients take that as a break and resume.
        const events = await deps.store.eventsAfter(id, lastSent, REPLAY_PAGE);
        for (const event of events) {
          await stream.writeSSE({
            id: String(event.seq),
            event: event.type,
            data: JSON.stringify(event.data),
          });
          lastSent = event.seq;
          lastWrite = Date.now();
          if (isTerminalEvent(event.type)) ended = true;
        }
        if (ended || events.length === REPLAY_PAGE) continue;
        if (Date.now() - lastWrite >= deps.config.heartbeatMs) {
          await stream.write(": heartbeat\n\n");
          lastWrite = Date.now();
        }
        await sleep(deps.config.pollMs, undefined, { signal: stop }).catch(() => {});
      }
    });
  });
}
