import { setTimeout as sleep } from "node:timers/promises";
import type { Run, SequencedRunEvent, SweeplabClient } from "@sweeplab/sdk";
import { RunFailedError } from "../errors.ts";

/** How often a waiting command asks, while its run is queued, whether any worker can train it. */
const CHECK_EVERY_MS = 1000;

/**
 * Asks the service every second, until `signal` aborts, whether no worker can train (`backendProblem` in its status:
 * its own workers could not start their backend and no other worker is alive); resolves with that problem once
 * `stillQueued` confirms the work still waits for a worker, or with undefined when `signal` aborts. `asking` says
 * when to ask at all (e.g. not while a run trains).
 */
export async function backendProblemWhileQueued(
  client: SweeplabClient,
  stillQueued: () => Promise<boolean>,
  signal: AbortSignal,
  asking: () => boolean = () => true,
): Promise<string | undefined> {
  while (!signal.aborted) {
    if (asking()) {
      const status = await client.status().catch(() => undefined);
      if (status?.backendProblem && !signal.aborted && (await stillQueued())) return status.backendProblem;
    }
    await sleep(CHECK_EVERY_MS, undefined, { signal }).catch(() => {});
  }
  return undefined;
}

/**
 * Follows a run to its end. While the run waits in the queue, it also asks whether any worker can train it
 * (backendProblemWhileQueued): if none can, it stops waiting with BACKEND_UNAVAILABLE. The run stays queued, for a
 * worker that can train it.
 */
export async function waitForRun(
  client: SweeplabClient,
  id: string,
  onEvent: (event: SequencedRunEvent) => void,
): Promise<Run> {
  const waiting = new AbortController();
  let queued = true;
  let problem: string | undefined;
  // The events may still be replaying a run that ended long ago: its stored status decides.
  const stillQueued = async () => (await client.runs.get(id).catch(() => undefined))?.status === "queued";
  const watching = backendProblemWhileQueued(client, stillQueued, waiting.signal, () => queued).then(
    (found) => {
      problem = found;
      if (found) waiting.abort();
    },
  );
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
