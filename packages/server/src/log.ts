import pino from "pino";

export type Logger = pino.Logger;

/**
 * Structured logs: one JSON line per request and per run transition (request id, run id, worker id), to stderr
 * so a CLI's stdout stays its own (a training process passes a destination that never blocks: workers/log-destination.ts).
 * The level comes from the
 * service's config (`SWEEPLAB_LOG_LEVEL`); `silent` turns them off.
 */
export function createLogger(name: string, level: string, destination?: pino.DestinationStream): Logger {
  return pino({ name, level, base: { pid: process.pid } }, destination ?? pino.destination(2));
}
