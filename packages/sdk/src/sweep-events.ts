import type { KyInstance } from "ky";
import { parseSse } from "./events.ts";
import type { components } from "./generated/schema.ts";

type Schemas = components["schemas"];
/** A sweep's progress: a trial run appeared or changed status, or the sweep ended (the last event). */
export type SweepEvent =
  | { type: "trial"; trial: Schemas["SweepTrial"] }
  | { type: "sweep"; sweep: Schemas["SweepSummary"] };

/** A sweep's progress as an async iterable, ending with its `sweep` event; a broken stream is reopened. */
export async function* followSweepEvents(
  http: KyInstance,
  sweepId: string,
  options: { signal?: AbortSignal; maxReconnects?: number } = {},
): AsyncGenerator<SweepEvent> {
  let reconnects = 0;
  for (;;) {
    try {
      const response = await http.get(`v1/sweeps/${encodeURIComponent(sweepId)}/events`, {
        headers: { Accept: "text/event-stream" },
        timeout: false,
        retry: 0,
        signal: options.signal,
      });
      for await (const raw of parseSse(response.body!)) {
        reconnects = 0;
        const data = JSON.parse(raw.data) as never;
        if (raw.event === "sweep") {
          yield { type: "sweep", sweep: data };
          return;
        }
        if (raw.event === "trial") yield { type: "trial", trial: data };
      }
      throw new Error("sweep event stream ended before the sweep did");
    } catch (error) {
      if (options.signal?.aborted || (error as { name?: string }).name === "ApiError") throw error;
      if (++reconnects > (options.maxReconnects ?? 10)) throw error;
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** reconnects)));
    }
  }
}
