import { createRequire } from "node:module";
import { type HostDataset, prepareHostDataset } from "../data/dataset.ts";
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

let lastHostDataset: { key: string; dataset: Promise<HostDataset> } | undefined;

/**
 * A run's splits on the host, kept for the next run with the same dataset, seed and validation size (a sweep's
 * repeats and a worker's next trial often share them), so the split and its pixel statistics are made once.
 */
export async function prepareHostDatasetCached(
  config: { dataset: DatasetSpec; seed: number; validationSize: number },
  options: LoadDatasetOptions | undefined,
): Promise<HostDataset> {
  const key = JSON.stringify([describeDataset(config.dataset), config.seed, config.validationSize]);
  if (lastHostDataset?.key !== key) {
    const dataset = loadRawDatasetCached(config.dataset, options).then((raw) =>
      prepareHostDataset(raw, { validationSize: config.validationSize, seed: config.seed }),
    );
    dataset.catch(() => {
      if (lastHostDataset?.dataset === dataset) lastHostDataset = undefined;
    });
    lastHostDataset = { key, dataset };
  }
  return lastHostDataset.dataset;
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
