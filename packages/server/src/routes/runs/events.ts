import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { App, AppDeps } from "../../app-types.ts";
import { TERMINAL_STATUSES } from "../../db/schema.ts";
import { problemResponses } from "../../problem.ts";
import type { StoredEvent } from "../../runs/run-service.ts";
import { RunIdParamsSchema } from "./schemas.ts";

/** Event types after which a run's stream ends. */
const TERMINAL_EVENTS = new Set(["finished", "failed", "canceled"]);

const eventsRoute = createRoute({
  method: "get",
  operationId: "getRunEvents",
  path: "/v1/runs/{id}/events",
  summary: "The run's events as server-sent events",
  description:
    "Replays the events after `Last-Event-ID` (header, or `after` query), then follows live ones. Event names are " +
    "`queued`, `started`, `step`, `eval`, `checkpoint`, `requeued`, `finished`, `failed`, `canceled`; each `id` is the " +
    "event's sequence number. Comments keep the connection alive; the stream ends after the terminal event.",
  security: [{ bearer: [] }],
  request: {
    params: RunIdParamsSchema,
    headers: z.object({ "last-event-id": z.coerce.number().int().min(0).optional() }),
    query: z.object({ after: z.coerce.number().int().min(0).optional() }),
  },
  responses: {
    200: { description: "an event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(401, 404),
  },
});

export function registerRunEventRoutes(app: App, deps: AppDeps) {
  app.openapi(eventsRoute, (c) => {
    const { id } = c.req.valid("param");
    deps.runs.get(id);
    const after = c.req.valid("header")["last-event-id"] ?? c.req.valid("query").after ?? 0;
    return streamSSE(c, async (stream) => {
      const pending: StoredEvent[] = [];
      let wake: (() => void) | undefined;
      const listener = (event: StoredEvent) => {
        pending.push(event);
        wake?.();
      };
      // Subscribe before replaying, so nothing falls between the two; sequence numbers drop duplicates.
      deps.runs.bus.on(id, listener);
      stream.onAbort(() => {
        deps.runs.bus.off(id, listener);
        wake?.();
      });
      let lastSent = after;
      let ended = false;
      const send = async (event: StoredEvent) => {
        if (event.seq <= lastSent) return;
        lastSent = event.seq;
        await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event.data) });
        if (TERMINAL_EVENTS.has(event.type)) ended = true;
      };
      try {
        for (const event of deps.runs.eventsAfter(id, after)) await send(event);
        if (!ended && TERMINAL_STATUSES.includes(deps.runs.get(id).status) && pending.length === 0)
          ended = true;
        while (!ended && !stream.aborted) {
          if (pending.length === 0) {
            const timer = new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, deps.config.heartbeatMs).unref();
            });
            await timer;
            wake = undefined;
            if (pending.length === 0 && !stream.aborted) await stream.write(": heartbeat\n\n");
            continue;
          }
          await send(pending.shift()!);
        }
      } finally {
        deps.runs.bus.off(id, listener);
      }
    });
  });
}
