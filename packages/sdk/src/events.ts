import { isTerminalEvent } from "@sweeplab/contract";
import type { KyInstance } from "ky";
import { toTransportError } from "./transport-errors.ts";
import type { RunEvent } from "./wire-types.ts";

/**
 * The contract's schemas, loaded when a stream first checks an event. Building them takes a browser tab tens of
 * milliseconds, which a page (the dashboard's) should not spend before it first draws; its streams open after.
 */
let schemas: Promise<typeof import("@sweeplab/contract")> | undefined;
export const eventSchemas = () => {
  // A failed load (a browser that lost the chunk's server meanwhile) is tried again by the next stream.
  schemas ??= import("@sweeplab/contract").catch((error: unknown) => {
    schemas = undefined;
    throw error;
  });
  return schemas;
};

/** An event with its sequence number in the run's stream. */
export type SequencedRunEvent = RunEvent & { seq: number };

/** The service sent an event that core's RunEvent schema does not accept (a version mismatch, or corruption). */
export class EventFormatError extends Error {
  override readonly name = "EventFormatError";
}

export interface EventsOptions {
  /** Start after this sequence number (replay only what came later). */
  lastEventId?: number;
  signal?: AbortSignal;
  /** Reconnect attempts after the stream breaks before the run ended; default 10. */
  maxReconnects?: number;
  /** Headers for the stream's requests, over the client's. */
  headers?: Record<string, string>;
}

/** The client's ky instance and base URL, for the streams. */
export interface StreamTarget {
  http: KyInstance;
  baseUrl: string;
}

/** Waits before the next reconnect: 0.5 s, 1 s, 2 s, ... at most 5 s; rejects at once when the signal aborts. */
export function backoff(attempt: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt));
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

/** Splits a server-sent-event byte stream into events. */
export async function* parseSse(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<{ id?: string; event?: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":") || !line.includes(":")) continue;
          const key = line.slice(0, line.indexOf(":"));
          fields[key] = line.slice(line.indexOf(":") + 1).replace(/^ /, "");
        }
        if (fields.event) yield { id: fields.id, event: fields.event, data: fields.data ?? "" };
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * A run's events as an async iterable: the history after `lastEventId`, then live ones, ending after the
 * terminal event. A broken connection is resumed with Last-Event-ID, so nothing is lost or repeated.
 */
export async function* followRunEvents(
  { http, baseUrl }: StreamTarget,
  runId: string,
  options: EventsOptions = {},
): AsyncGenerator<SequencedRunEvent> {
  let last = options.lastEventId ?? 0;
  const { RunEventSchema } = await eventSchemas();
  let reconnects = 0;
  const url = `v1/runs/${encodeURIComponent(runId)}/events`;
  for (;;) {
    try {
      const response = await http.get(url, {
        headers: { ...options.headers, "Last-Event-ID": String(last), Accept: "text/event-stream" },
        timeout: false,
        retry: 0,
        signal: options.signal,
      });
      for await (const raw of parseSse(response.body!)) {
        const seq = Number(raw.id);
        if (seq <= last) continue;
        last = seq;
        reconnects = 0;
        const parsed = RunEventSchema.safeParse({ ...(JSON.parse(raw.data) as object), type: raw.event });
        if (!parsed.success) {
          throw new EventFormatError(
            `event ${seq} of run ${runId} (${raw.event}) is malformed: ${parsed.error.message}`,
          );
        }
        yield { ...parsed.data, seq };
        if (isTerminalEvent(parsed.data.type)) return;
      }
      // Every run's stream ends with its terminal event; one that ends before it broke (the service stopping, a
      // store error): resume after the last event.
      throw new Error("event stream ended before the run did");
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (options.signal?.aborted || name === "ApiError" || name === "EventFormatError") throw error;
      if (++reconnects > (options.maxReconnects ?? 10)) throw toTransportError(error, `${baseUrl}/${url}`);
      await backoff(reconnects, options.signal);
    }
  }
}
