// One owner per SQLite store: the service that serves a SQLite file records itself beside it, so a second
// process (the CLI's embedded mode, a second `serve`) finds it and talks to it as a client, or stops with a
// clear error, instead of touching its runs.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

export interface FolderOwner {
  pid: number;
  url: string;
}

const ownerFile = (sqlitePath: string) => `${sqlitePath}.owner.json`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live service that owns this SQLite file, if any (a stale record of a dead process is ignored). */
export function findOwner(sqlitePath: string): FolderOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(sqlitePath), "utf8")) as FolderOwner;
    return owner.pid !== process.pid && alive(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Records this process as the owner; throws OwnedError when a live one already is. Returns a release. */
export function claimOwnership(sqlitePath: string, url: string): () => void {
  const file = ownerFile(sqlitePath);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, url } satisfies FolderOwner));
      closeSync(fd);
      return () => {
        if (findOwnerRaw(file)?.pid === process.pid) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = findOwner(sqlitePath);
      if (owner) throw new OwnedError(sqlitePath, owner);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not record ownership of ${sqlitePath}`);
}

function findOwnerRaw(file: string): FolderOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as FolderOwner;
  } catch {
    return undefined;
  }
}

export class OwnedError extends Error {
  override readonly name = "OwnedError";
  constructor(
    readonly path: string,
    readonly owner: FolderOwner,
  ) {
    super(
      `${path} is served by another sweeplab process (pid ${owner.pid}, ${owner.url}): use it with --host ${owner.url}, or stop it first`,
    );
  }
}
