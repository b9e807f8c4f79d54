import { backoff, EventFormatError, eventSchemas, parseSse, type StreamTarget } from "./events.ts";
import { toTransportError } from "./transport-errors.ts";
import type { SweepEvent } from "./wire-types.ts";

export interface SweepEventsOptions {
  signal?: AbortSignal;
  /** Reconnect attempts after the stream breaks before the sweep ended; default 10. */
  maxReconnects?: number;
  /** Headers for the stream's requests, over the client's. */
  headers?: Record<string, string>;
  /**
   * `false`: no event per trial run first, only what changes after the stream opens (and after a reconnect: what
   * changed while it was broken is not sent again). For a client that reads the sweep itself and follows the
   * stream to know when to read it again. Default true.
   */
  snapshot?: boolean;
}

/**
 * A sweep's progress as an async iterable, ending with its `sweep` event. Each event is checked against the
 * contract's SweepEventSchema. The service sends trial states, not numbered events: a broken stream is reopened
 * and a trial already reported in the same state (status, step, value) is not reported again.
 */
export async function* followSweepEvents(
  { http, baseUrl }: StreamTarget,
  sweepId: string,
  options: SweepEventsOptions = {},
): AsyncGenerator<SweepEvent> {
  const { SweepEventSchema } = await eventSchemas();
  let reconnects = 0;
  const seen = new Map<string, string>();
  const url = `v1/sweeps/${encodeURIComponent(sweepId)}/events`;
  for (;;) {
    try {
      const response = await http.get(url, {
        headers: { ...options.headers, Accept: "text/event-stream" },
        ...(options.snapshot === false ? { searchParams: { snapshot: "false" } } : {}),
        timeout: false,
        retry: 0,
        signal: options.signal,
      });
      for await (const raw of parseSse(response.body!)) {
        reconnects = 0;
        const parsed = SweepEventSchema.safeParse({
          type: raw.event,
          [raw.event ?? ""]: JSON.parse(raw.data),
        });
        if (!parsed.success) {
          throw new EventFormatError(
            `an event of sweep ${sweepId} (${raw.event}) is malformed: ${parsed.error.message}`,
          );
        }
        const event = parsed.data;
        if (event.type === "sweep") {
          yield event;
          return;
        }
        const state = `${event.trial.status} ${event.trial.step} ${event.trial.value}`;
        if (seen.get(event.trial.runId) === state) continue;
        seen.set(event.trial.runId, state);
        yield event;
      }
      throw new Error("sweep event stream ended before the sweep did");
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (options.signal?.aborted || name === "ApiError" || name === "EventFormatError") throw error;
      if (++reconnects > (options.maxReconnects ?? 10)) throw toTransportError(error, `${baseUrl}/${url}`);
      await backoff(reconnects, options.signal);
    }
  }
}
