import { createRequire } from "node:module";
import {
  type DatasetSpec,
  describeDataset,
  type LoadDatasetOptions,
  loadRawDataset,
  type RawDataset,
} from "../data/sources.ts";

/** Training examples whose loss and accuracy `eval` events report (a fixed slice of the training split). */
export const TRAIN_EVAL_EXAMPLES = 5000;

const rawDatasets = new Map<string, Promise<RawDataset>>();

/** Parsed datasets stay in memory for the life of the process: a worker trains many runs on the same files. */
export function loadRawDatasetCached(
  spec: DatasetSpec,
  options: LoadDatasetOptions | undefined,
): Promise<RawDataset> {
  const key = describeDataset(spec);
  let pending = rawDatasets.get(key);
  if (!pending) {
    pending = loadRawDataset(spec, options);
    pending.catch(() => rawDatasets.delete(key));
    rawDatasets.set(key, pending);
  }
  return pending;
}

// A bundle (scripts/gpu-bundle.mjs) has no package.json beside it: esbuild defines this in its place.
declare const __SWEEPLAB_CORE_VERSION__: string | undefined;

export function coreVersion(): string {
  if (typeof __SWEEPLAB_CORE_VERSION__ === "string") return __SWEEPLAB_CORE_VERSION__;
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
