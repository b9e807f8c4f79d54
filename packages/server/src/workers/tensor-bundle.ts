import type { SerializedTensor, TrainingCheckpoint } from "@sweeplab/core";

/**
 * Named groups of tensors plus JSON metadata in one buffer: [u32 header length][JSON header][float32 data].
 * Checkpoints and trained weights are stored this way in the store's artifacts.
 */
export interface TensorBundle<M> {
  meta: M;
  groups: Record<string, SerializedTensor[]>;
}

interface Header<M> {
  meta: M;
  entries: { group: string; name: string; shape: number[]; offset: number; length: number }[];
}

export function encodeTensorBundle<M>(bundle: TensorBundle<M>): Buffer {
  const entries: Header<M>["entries"] = [];
  let offset = 0;
  for (const [group, tensors] of Object.entries(bundle.groups)) {
    for (const t of tensors) {
      entries.push({ group, name: t.name, shape: t.shape, offset, length: t.values.length });
      offset += t.values.length;
    }
  }
  const header = Buffer.from(JSON.stringify({ meta: bundle.meta, entries } satisfies Header<M>));
  const padded = Math.ceil((4 + header.length) / 4) * 4;
  const out = Buffer.alloc(padded + offset * 4);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  const data = new Float32Array(out.buffer, out.byteOffset + padded, offset);
  let i = 0;
  for (const tensors of Object.values(bundle.groups)) {
    for (const t of tensors) {
      data.set(t.values, entries[i]!.offset);
      i += 1;
    }
  }
  return out;
}

/** Reads a bundle; a truncated or corrupt one throws an Error that says so. */
export function decodeTensorBundle<M>(bytes: Buffer): TensorBundle<M> {
  const corrupt = (why: string) => new Error(`stored tensors are corrupt: ${why}`);
  if (bytes.length < 4) throw corrupt("shorter than its header");
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) throw corrupt("header runs past the end");
  let header: Header<M>;
  try {
    header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString("utf8")) as Header<M>;
  } catch {
    throw corrupt("header is not JSON");
  }
  const padded = Math.ceil((4 + headerLength) / 4) * 4;
  const floats = (bytes.length - padded) / 4;
  if (!Array.isArray(header.entries) || !Number.isInteger(floats)) throw corrupt("bad layout");
  const data = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + padded, bytes.byteOffset + bytes.length),
  );
  const groups: Record<string, SerializedTensor[]> = {};
  for (const e of header.entries) {
    if (e.offset + e.length > floats) throw corrupt(`${e.name} runs past the end`);
    groups[e.group] ??= [];
    groups[e.group]!.push({
      name: e.name,
      shape: e.shape,
      values: data.slice(e.offset, e.offset + e.length),
    });
  }
  return { meta: header.meta, groups };
}

export function encodeCheckpoint(checkpoint: TrainingCheckpoint): Buffer {
  return encodeTensorBundle({
    meta: { step: checkpoint.step, optimizerIterations: checkpoint.optimizerIterations },
    groups: {
      parameters: checkpoint.parameters,
      buffers: checkpoint.buffers,
      optimizerSlots: checkpoint.optimizerSlots,
    },
  });
}

export function decodeCheckpoint(bytes: Buffer): TrainingCheckpoint {
  const bundle = decodeTensorBundle<{ step: number; optimizerIterations: number }>(bytes);
  return {
    step: bundle.meta.step,
    optimizerIterations: bundle.meta.optimizerIterations,
    parameters: bundle.groups.parameters ?? [],
    buffers: bundle.groups.buffers ?? [],
    optimizerSlots: bundle.groups.optimizerSlots ?? [],
  };
}

export function encodeWeights(step: number, weights: SerializedTensor[]): Buffer {
  return encodeTensorBundle({ meta: { step }, groups: { weights } });
}

export function decodeWeights(bytes: Buffer): SerializedTensor[] {
  return decodeTensorBundle(bytes).groups.weights ?? [];
}
