/** A mistake in how the command was called: printed as `USAGE: ...`, exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The run the command waited for ended badly: exit code 1. */
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
