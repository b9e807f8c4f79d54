// The one loop behind every event stream (a run's events, a sweep's progress): ask for what is new, write it,
// send a keep-alive comment when nothing was written for a while, wait, repeat, until the source says the stream
// is done, the client leaves or the service stops.
import { setTimeout as sleep } from "node:timers/promises";
import type { Context } from "hono";
import { type SSEMessage, type SSEStreamingApi, streamSSE } from "hono/streaming";

/** What one poll found: more right away (a full page), nothing more now (wait), or the end of the stream. */
export type PollResult = "more" | "wait" | "done";

export interface PollToSseOptions {
  /** Aborted when the service stops. */
  shutdown: AbortSignal;
  heartbeatMs: number;
  /**
   * Writes what is new through `send` (several messages at once go out as one write); says whether to ask again
   * at once, after a wait, or to end.
   */
  poll(send: (messages: SSEMessage | SSEMessage[]) => Promise<void>): Promise<PollResult>;
  /** Waits for something new, `signal` ending the wait early (default: the service's poll interval). */
  wait(signal: AbortSignal): Promise<void>;
  /** Called once the stream ends, whatever ended it. */
  onClose?: () => void;
}

/** Streams `options.poll`'s messages as server-sent events, with heartbeats, until done or the client leaves. */
export function pollToSse(c: Context, options: PollToSseOptions): Response {
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    const closed = new AbortController();
    stream.onAbort(() => closed.abort());
    const stop = AbortSignal.any([options.shutdown, closed.signal]);
    let lastWrite = Date.now();
    const send = async (messages: SSEMessage | SSEMessage[]) => {
      const list = Array.isArray(messages) ? messages : [messages];
      if (list.length === 0) return;
      await stream.write(list.map(formatSse).join(""));
      lastWrite = Date.now();
    };
    try {
      while (!stop.aborted) {
        const result = await options.poll(send);
        if (result === "done") return;
        if (result === "more") continue;
        if (Date.now() - lastWrite >= options.heartbeatMs) {
          await stream.write(": heartbeat\n\n");
          lastWrite = Date.now();
        }
        await options.wait(stop);
      }
    } finally {
      options.onClose?.();
    }
  });
}

/** One message in the text/event-stream format (a data line per line of `data`). */
export function formatSse(message: SSEMessage): string {
  const lines = [
    ...(message.event ? [`event: ${message.event}`] : []),
    ...String(message.data)
      .split(/\r\n|\r|\n/)
      .map((line) => `data: ${line}`),
    ...(message.id !== undefined ? [`id: ${message.id}`] : []),
    ...(message.retry !== undefined ? [`retry: ${message.retry}`] : []),
  ];
  return `${lines.join("\n")}\n\n`;
}

/** A wait of `ms`, ended early by `signal`. */
export const pollEvery = (ms: number) => (signal: AbortSignal) =>
  sleep(ms, undefined, { signal }).catch(() => {});
