import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as Server from "@sweeplab/server";
import packageJson from "../package.json" with { type: "json" };
import { ServerNotInstalledError } from "./errors.ts";

let server: Promise<typeof Server> | undefined;

/** The one command that installs the server beside a globally installed CLI, at the CLI's own version. */
export const SERVER_INSTALL_COMMAND = `npm install -g @sweeplab/server@${packageJson.version}`;

/** What to install, in one line, for a command that needs the server package. */
export const SERVER_MISSING =
  `this command runs the service here and needs @sweeplab/server beside the CLI: ${SERVER_INSTALL_COMMAND} ` +
  "(it brings @sweeplab/core and TensorFlow.js); for a remote service pass --host URL (or set SWEEPLAB_URL, " +
  "or a profile)";

/** True when `name` itself is missing (not a package it imports: that is another problem, reported as it is). */
const isMissing = (error: unknown, name: string) => {
  const { code, message } = error as { code?: string; message?: string };
  return (
    (code === "ERR_MODULE_NOT_FOUND" && String(message).startsWith(`Cannot find package '${name}'`)) ||
    (code === "MODULE_NOT_FOUND" && String(message).startsWith(`Cannot find module '${name}`))
  );
};

/**
 * The server package, for the commands that run a service or workers on this host; remote commands never load it.
 * It stays TypeScript run through tsx (native modules, worker processes forked from its sources, files read
 * beside its code), so the bundled CLI loads tsx's loader first: the server's own tsx, found from the server (a
 * global install nests it there, out of the CLI's sight). Run from source, tsx is already there. The published
 * CLI has the server as an optional peer: without it, a ServerNotInstalledError says what to install.
 */
export function loadServer(): Promise<typeof Server> {
  server ??= (async () => {
    try {
      if (!import.meta.url.endsWith(".ts")) {
        // tsx's loader, as `node --import tsx` (the server's workers) loads it.
        const besideServer = createRequire(fileURLToPath(import.meta.resolve("@sweeplab/server")));
        await import(pathToFileURL(besideServer.resolve("tsx")).href);
      }
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
