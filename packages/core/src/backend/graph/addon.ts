import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A tensor in a graph: the operation's name and which of its outputs. */
export type GraphTensor = readonly [op: string, index: number];

/** Host values going in and out of a session: a dtype (TF_DataType), a shape and a typed array. */
export interface HostTensor {
  dtype: number;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array | BigInt64Array | Float64Array;
}

/** An attribute of an operation: name, kind, value (a tensor for "tensor"). */
export type GraphAttr =
  | [name: string, kind: "int" | "float" | "type", value: number]
  | [name: string, kind: "bool", value: boolean]
  | [name: string, kind: "string", value: string]
  | [name: string, kind: "shape" | "intList" | "floatList" | "typeList", value: number[]]
  | [name: string, kind: "tensor", value: HostTensor];

declare const graphHandle: unique symbol;
declare const sessionHandle: unique symbol;
export type GraphHandle = { readonly [graphHandle]: true };
export type SessionHandle = { readonly [sessionHandle]: true };

/** What native/graph.c exports: TensorFlow's C API for graphs, gradients and sessions, and nothing else. */
export interface GraphAddon {
  newGraph(): GraphHandle;
  addOperation(
    graph: GraphHandle,
    type: string,
    name: string,
    inputs: (GraphTensor | GraphTensor[])[],
    attrs: GraphAttr[],
    controlInputs: string[],
  ): number;
  /** d(sum of ys)/d xs, added to the graph under `prefix`; null where a tensor does not reach the ys. */
  addGradients(
    graph: GraphHandle,
    prefix: string,
    ys: GraphTensor[],
    xs: GraphTensor[],
    dys: GraphTensor[] | null,
  ): (GraphTensor | null)[];
  outputShape(graph: GraphHandle, tensor: GraphTensor): number[] | null;
  /** A session over the graph; `config` is a serialized ConfigProto (empty: TensorFlow's defaults). */
  newSession(graph: GraphHandle, config: Uint8Array): SessionHandle;
  closeSession(session: SessionHandle): void;
  run(
    session: SessionHandle,
    graph: GraphHandle,
    feeds: [GraphTensor, HostTensor][],
    fetches: GraphTensor[],
    targets: string[],
  ): HostTensor[];
  tensorflowVersion(): string;
}

/** TF_DataType values used by core. */
export const DT = { float: 1, int32: 3, uint8: 4, int64: 9, bool: 10, resource: 20 } as const;

/** Where `pnpm install` (scripts/setup-native.mjs) builds the addon. */
export function graphAddonFile(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "../../../native/build/sweeplab_graph.node");
}

let loaded: { addon?: GraphAddon; problem?: string } | undefined;

/**
 * The graph addon, or why it is not there. Load it only after the native backend (tfjs-node) is loaded: both
 * use one copy of libtensorflow in the process.
 */
export function loadGraphAddon(): { addon?: GraphAddon; problem?: string } {
  if (loaded) return loaded;
  const file = graphAddonFile();
  if (!existsSync(file)) {
    loaded = { problem: `the graph addon is not built (${file}; run \`pnpm install\`)` };
    return loaded;
  }
  try {
    loaded = { addon: createRequire(import.meta.url)(file) as GraphAddon };
  } catch (error) {
    loaded = { problem: `the graph addon failed to load: ${(error as Error).message}` };
  }
  return loaded;
}
