import { setTimeout as sleep } from "node:timers/promises";
import type { Run, SequencedRunEvent, SweeplabClient } from "@sweeplab/sdk";
import { RunFailedError } from "../errors.ts";

/** How often a waiting command asks, while its run is queued, whether any worker can train it. */
const CHECK_EVERY_MS = 1000;

/**
 * Follows a run to its end. While the run waits in the queue, it also asks the service every second whether any
 * worker can train it: when the service reports that none can (`backendProblem` in its status: its own workers
 * could not start their backend and no other worker is alive), it stops waiting with BACKEND_UNAVAILABLE. The run
 * stays queued, for a worker that can train it.
 */
export async function waitForRun(
  client: SweeplabClient,
  id: string,
  onEvent: (event: SequencedRunEvent) => void,
): Promise<Run> {
  const waiting = new AbortController();
  let queued = true;
  let problem: string | undefined;
  const watching = (async () => {
    while (!waiting.signal.aborted) {
      if (queued) {
        const status = await client.status().catch(() => undefined);
        // The events may still be replaying a run that ended long ago: its stored status decides.
        const run = status?.backendProblem ? await client.runs.get(id).catch(() => undefined) : undefined;
        if (status?.backendProblem && run?.status === "queued" && !waiting.signal.aborted) {
          problem = status.backendProblem;
          waiting.abort();
          return;
        }
      }
      await sleep(CHECK_EVERY_MS, undefined, { signal: waiting.signal }).catch(() => {});
    }
  })();
  try {
    return await client.runs.wait(id, {
      signal: waiting.signal,
      onEvent: (event) => {
        queued = event.type === "queued" || event.type === "requeued";
        onEvent(event);
      },
    });
  } catch (error) {
    if (problem === undefined) throw error;
    throw new RunFailedError(
      "BACKEND_UNAVAILABLE",
      `${problem}; run ${id} stays queued for a worker that can train it`,
    );
  } finally {
    waiting.abort();
    await watching;
  }
}
