import type * as Server from "@sweeplab/server";
import { ServerNotInstalledError } from "./errors.ts";

let server: Promise<typeof Server> | undefined;

/** What to install, in one line, for a command that needs the server package. */
export const SERVER_MISSING =
  "this command runs the service here and needs @sweeplab/server: install it beside the CLI " +
  "(npm install -g @sweeplab/server) or run it with npx -p @sweeplab/server -p @sweeplab/cli sweeplab; " +
  "for a remote service pass --host URL (or set SWEEPLAB_URL, or a profile)";

/** True when `name` itself is missing (not a package it imports: that is another problem, reported as it is). */
const isMissing = (error: unknown, name: string) =>
  (error as { code?: string })?.code === "ERR_MODULE_NOT_FOUND" &&
  String((error as Error).message).startsWith(`Cannot find package '${name}'`);

/**
 * The server package, for the commands that run a service or workers on this host; remote commands never load it.
 * It stays TypeScript run through tsx (native modules, worker processes forked from its sources, files read
 * beside its code), so the bundled CLI registers tsx's loader first; run from source, tsx is already there. The
 * published CLI has the server as an optional peer: without it, a ServerNotInstalledError says what to install.
 */
export function loadServer(): Promise<typeof Server> {
  server ??= (async () => {
    try {
      if (!import.meta.url.endsWith(".ts")) (await import("tsx/esm/api")).register();
      return await import("@sweeplab/server");
    } catch (error) {
      if (isMissing(error, "@sweeplab/server") || isMissing(error, "tsx")) {
        throw new ServerNotInstalledError(SERVER_MISSING);
      }
      throw error;
    }
  })();
  return server;
}
