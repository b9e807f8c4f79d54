/**
 * The exit codes a script can act on (README "Exit codes"). Errors print one line, `CODE: detail`.
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** A run or sweep failed or diverged, or another error (the printed code says which). */
  FAILED: 1,
  /** The command was called wrongly: an unknown flag, a bad value, a request the service refused as invalid. */
  USAGE: 2,
  /** The service refused the token (401) or the request's origin or host (403). */
  AUTH: 3,
  /** No such run, sweep or route (404). */
  NOT_FOUND: 4,
  /** The service could not be reached (connection refused, unknown host, timeout). */
  UNREACHABLE: 5,
  /** The run or sweep waited on was canceled. */
  CANCELED: 6,
  /** The command needs a package that is not installed (the server, for embedded mode, `serve` and `worker`). */
  NOT_INSTALLED: 7,
  /** Ctrl-C: the command stopped watching; the work goes on. */
  INTERRUPTED: 130,
} as const;

/** A mistake in how the command was called: printed as `USAGE: ...`, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The run or sweep the command waited for ended badly: exit code 1 (6 when it was canceled). */
export class RunFailedError extends Error {
  override readonly name = "RunFailedError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The user pressed Ctrl-C and nothing was canceled (the work goes on): exit code 130, as for SIGINT. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
}

/** A command that runs the service here, without @sweeplab/server installed: exit code 7. */
export class ServerNotInstalledError extends Error {
  override readonly name = "ServerNotInstalledError";
}
