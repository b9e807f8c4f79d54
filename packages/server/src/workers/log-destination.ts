import { write } from "node:fs";

/** Errors after which the descriptor is dead for good: the reader is gone. */
const DEAD = new Set(["EPIPE", "EBADF", "ECONNRESET", "ENOTCONN"]);

/** A pino destination: `write` takes one serialised line. */
export interface DroppingDestination {
  write(line: string): boolean;
  /** Lines dropped so far (queue full, a failed write, a dead reader). */
  readonly dropped: number;
  /** Resolves once every queued line is written (or dropped), or after `timeoutMs`: before a polite exit. */
  flushed(timeoutMs: number): Promise<void>;
}

/**
 * A log destination for training processes that never blocks and never retries. Lines go to `fd` asynchronously
 * and in order; while one write is in flight the next lines queue, up to `maxQueuedBytes`, and past that they are
 * dropped (counted). A failed write drops what it carried; after EPIPE (the supervisor reading the other end is
 * gone) nothing more is written. pino's default destination (sonic-boom, synchronous) instead retries EAGAIN in a
 * synchronous sleep and flushes synchronously at exit, so a worker whose supervisor stopped reading or died could
 * stay blocked there for good, beyond the reach of its own timers and signal handlers.
 */
export function createDroppingDestination(fd = 2, maxQueuedBytes = 1 << 20): DroppingDestination {
  let queue: string[] = [];
  let queuedBytes = 0;
  let writing = false;
  let dead = false;
  let dropped = 0;
  const idle: (() => void)[] = [];

  const pump = () => {
    if (writing) return;
    if (dead || queue.length === 0) {
      for (const resolve of idle.splice(0)) resolve();
      return;
    }
    const lines = queue.length;
    const chunk = Buffer.from(queue.join(""));
    queue = [];
    queuedBytes = 0;
    writing = true;
    const send = (offset: number) => {
      write(fd, chunk, offset, chunk.length - offset, null, (error, written) => {
        if (error) {
          dropped += lines;
          if (DEAD.has((error as NodeJS.ErrnoException).code ?? "")) dead = true;
        } else if (offset + written < chunk.length) {
          return send(offset + written);
        }
        writing = false;
        pump();
      });
    };
    send(0);
  };

  return {
    write(line) {
      if (dead || queuedBytes + line.length > maxQueuedBytes) {
        dropped += 1;
        return true;
      }
      queue.push(line);
      queuedBytes += line.length;
      pump();
      return true;
    },
    get dropped() {
      return dropped;
    },
    flushed(timeoutMs) {
      if (!writing && (dead || queue.length === 0)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
