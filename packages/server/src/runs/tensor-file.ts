import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { SerializedTensor } from "@sweeplab/core";

/** Named groups of tensors plus JSON metadata, in one file: [u32 header length][JSON header][float32 data]. */
export interface TensorFile<M> {
  meta: M;
  groups: Record<string, SerializedTensor[]>;
}

interface Header<M> {
  meta: M;
  entries: { group: string; name: string; shape: number[]; offset: number; length: number }[];
}

/**
 * Writes atomically and durably: a temporary file (mode 0600, in a 0700 folder) is fsync'd, renamed into place,
 * and the folder fsync'd, so neither a crash nor a power cut leaves half a checkpoint.
 */
export function writeTensorFile<M>(path: string, file: TensorFile<M>): void {
  const entries: Header<M>["entries"] = [];
  let offset = 0;
  for (const [group, tensors] of Object.entries(file.groups)) {
    for (const t of tensors) {
      entries.push({ group, name: t.name, shape: t.shape, offset, length: t.values.length });
      offset += t.values.length;
    }
  }
  const header = Buffer.from(JSON.stringify({ meta: file.meta, entries } satisfies Header<M>));
  const padded = Math.ceil((4 + header.length) / 4) * 4;
  const out = Buffer.alloc(padded + offset * 4);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  const data = new Float32Array(out.buffer, out.byteOffset + padded, offset);
  let i = 0;
  for (const tensors of Object.values(file.groups)) {
    for (const t of tensors) {
      data.set(t.values, entries[i]!.offset);
      i += 1;
    }
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(`${path}.part`, "w", 0o600);
  try {
    for (let written = 0; written < out.length; ) written += writeSync(fd, out, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.part`, path);
  const dir = openSync(dirname(path), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export function readTensorFile<M>(path: string): TensorFile<M> {
  const bytes = readFileSync(path);
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString("utf8")) as Header<M>;
  const padded = Math.ceil((4 + headerLength) / 4) * 4;
  const data = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + padded, bytes.byteOffset + bytes.length),
  );
  const groups: Record<string, SerializedTensor[]> = {};
  for (const e of header.entries) {
    groups[e.group] ??= [];
    groups[e.group]!.push({
      name: e.name,
      shape: e.shape,
      values: data.slice(e.offset, e.offset + e.length),
    });
  }
  return { meta: header.meta, groups };
}
