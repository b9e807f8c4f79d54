import type * as Server from "@sweeplab/server";

let server: Promise<typeof Server> | undefined;

/**
 * The server package, for the commands that run a service or workers on this host; remote commands never load it.
 * It stays TypeScript run through tsx (native modules, worker processes forked from its sources, files read
 * beside its code), so the bundled CLI registers tsx's loader first; run from source, tsx is already there.
 */
export function loadServer(): Promise<typeof Server> {
  server ??= (async () => {
    if (!import.meta.url.endsWith(".ts")) (await import("tsx/esm/api")).register();
    return import("@sweeplab/server");
  })();
  return server;
}
