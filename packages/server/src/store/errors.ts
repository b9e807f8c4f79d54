// Store errors by what they mean to the caller, decided in this one place for both dialects:
// - `unavailable`: the store cannot be reached now (PostgreSQL restarting, stopped, the network down). Nobody's
//   fault and nothing to fix in the request: the API answers 503 with Retry-After, a worker waits and retries, and
//   no run spends an attempt on it.
// - `full`: the disk under the store is full. Retrying will not help until someone frees space: the write fails
//   once with that reason (STORAGE_FULL), never as a crash.
// Anything else is a bug or a refusal, handled where it happens.

import { statfsSync } from "node:fs";

export type StoreFault = "unavailable" | "full";

/** Errors of the socket under a PostgreSQL connection. */
const UNAVAILABLE_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
]);
/**
 * PostgreSQL SQLSTATEs of a server that is going away or not there yet: 57P01 admin shutdown (a restart), 57P02
 * crash shutdown, 57P03 cannot connect now (starting up or shutting down), 53300 too many connections. Class 08
 * (connection exceptions) is matched by its prefix.
 */
const UNAVAILABLE_SQLSTATE = new Set(["57P01", "57P02", "57P03", "53300"]);
/** node-postgres's own messages for a connection that dropped or never came (they carry no code). */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|is not queryable|terminating connection due to administrator command/i;

/** ENOSPC / EDQUOT from the file system, SQLITE_FULL from SQLite, 53100 disk_full from PostgreSQL. */
const FULL_CODES = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL", "53100"]);
const FULL_MESSAGE = /database or disk is full|no space left on device|could not extend file/i;

function* chain(error: unknown): Generator<{ code?: unknown; message?: unknown }> {
  // Drizzle wraps the driver's error as `cause`; a failed connect to a name with several addresses is an
  // AggregateError holding one error per address. Bounded: a cycle of causes must not loop.
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 16; seen++) {
    const next = queue.shift();
    if (typeof next !== "object" || next === null) continue;
    yield next as { code?: unknown; message?: unknown };
    const { cause, errors } = next as { cause?: unknown; errors?: unknown };
    if (cause !== undefined) queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors.slice(0, 4));
  }
}

/** What a store error means to its caller, or undefined for an ordinary error (a bug, a conflict, bad input). */
export function classifyStoreError(error: unknown): StoreFault | undefined {
  let unavailable = false;
  for (const link of chain(error)) {
    const code = typeof link.code === "string" ? link.code : "";
    // Drizzle's wrapper quotes the statement and its parameters: a run named "no space left on device" is no disk.
    const message =
      typeof link.message === "string" && !link.message.startsWith("Failed query:") ? link.message : "";
    // A full disk wins: a connection that broke because the server could not write is still a full disk.
    if (FULL_CODES.has(code) || FULL_MESSAGE.test(message)) return "full";
    if (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.has(code) || /^08[0-9A-Z]{3}$/.test(code))
      unavailable = true;
    else if (UNAVAILABLE_MESSAGE.test(message)) unavailable = true;
  }
  return unavailable ? "unavailable" : undefined;
}

export const isStoreUnavailable = (error: unknown) => classifyStoreError(error) === "unavailable";
export const isStorageFull = (error: unknown) => classifyStoreError(error) === "full";

/** The deepest message of an error chain: the driver's own words ("database or disk is full"), not the wrapper's. */
export function rootMessage(error: unknown): string {
  let message = String(error);
  for (const link of chain(error))
    if (typeof link.message === "string" && link.message) message = link.message;
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** Seconds a client should wait before retrying during a store outage. */
export const STORE_RETRY_AFTER_S = 5;

/** The disk under the store is full: a start-up that cannot write says so in one line (STORAGE_FULL). */
export class StorageFullError extends Error {
  override readonly name = "StorageFullError";
  readonly code = "STORAGE_FULL";
}

/** Whether the file system holding `dir` has no space left for this process. */
function noSpaceLeft(dir: string): boolean {
  try {
    return statfsSync(dir).bavail === 0;
  } catch {
    return false;
  }
}

/**
 * `error` as a StorageFullError naming `where` (a file, a folder, a database) when it is a full disk's, else
 * `error` itself: a start-up on a full disk says what is full, not `INTERNAL: SQLITE_FULL`. With `dir`, an I/O
 * error counts too when that folder's file system has no space left (SQLite reports a full disk while it maps its
 * shared-memory file as SQLITE_IOERR_*, "disk I/O error").
 */
export function explainFullDisk(error: unknown, where: string, dir?: string): unknown {
  const ioError = [...chain(error)].some(
    (e) => typeof e.code === "string" && e.code.startsWith("SQLITE_IOERR"),
  );
  if (!isStorageFull(error) && !(ioError && dir !== undefined && noSpaceLeft(dir))) return error;
  return new StorageFullError(
    `the disk holding ${where} is full (${rootMessage(error)}); free space there, then start again`,
  );
}
