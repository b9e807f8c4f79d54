import type * as fs from "node:fs";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { openDatabase } from "../db/client.ts";
import { readTensorFile, writeTensorFile } from "./tensor-file.ts";

const calls: string[] = [];
vi.mock("node:fs", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs")>();
  return {
    ...actual,
    fsyncSync: (fd: number) => {
      calls.push("fsync");
      actual.fsyncSync(fd);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      calls.push("rename");
      actual.renameSync(from, to);
    },
  };
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe("files the service writes", () => {
  it("writes tensor files 0600 in 0700 folders, fsync'd before the rename and the folder after", () => {
    const path = join(mkdtempSync(join(tmpdir(), "sweeplab-files-")), "runs", "r1", "checkpoint.bin");
    calls.length = 0;
    const values = Float32Array.from([1, 2, 3]);
    writeTensorFile(path, { meta: { step: 7 }, groups: { weights: [{ name: "w", shape: [3], values }] } });
    expect(calls).toEqual(["fsync", "rename", "fsync"]);
    expect(mode(path)).toBe(0o600);
    expect(mode(join(path, ".."))).toBe(0o700);
    expect(mode(join(path, "..", ".."))).toBe(0o700);
    const read = readTensorFile<{ step: number }>(path);
    expect(read.meta.step).toBe(7);
    expect(Array.from(read.groups.weights![0]!.values)).toEqual([1, 2, 3]);
  });

  it("creates the data folder 0700", () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "sweeplab-files-")), "data");
    openDatabase(`file:${join(dataDir, "sweeplab.sqlite")}`).close();
    expect(mode(dataDir)).toBe(0o700);
  });
});
