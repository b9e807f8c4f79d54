import type { CnnSpec, DatasetShape, MlpSpec, Predictor, SerializedTensor } from "@sweeplab/core";
import { createPredictor, prepareBackend } from "@sweeplab/core";
import type { ServerConfig } from "../config.ts";

interface Entry {
  predictor: Predictor;
  bytes: number;
}

/**
 * Trained models kept ready for prediction in the service process, bounded by the bytes of their weights (and a
 * count): the least recently used are dropped first. The model just loaded always stays, even alone over budget.
 */
export class PredictorCache {
  private readonly cache = new Map<string, Entry>();
  /** Loads in flight: concurrent misses for one run share one load (and so one copy of its weights). */
  private readonly loading = new Map<string, Promise<Predictor>>();
  private bytes = 0;

  constructor(
    private readonly config: Pick<ServerConfig, "backend" | "predictorCacheMb">,
    private readonly capacity = 4,
  ) {}

  /** Weights held by cached predictors, in bytes. */
  get heldBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.cache.size;
  }

  async get(
    runId: string,
    spec: MlpSpec | CnnSpec,
    loadWeights: () => Promise<SerializedTensor[]>,
    shape: DatasetShape,
  ): Promise<Predictor> {
    const hit = this.cache.get(runId);
    if (hit) {
      this.cache.delete(runId);
      this.cache.set(runId, hit);
      return hit.predictor;
    }
    const inFlight = this.loading.get(runId);
    if (inFlight) return inFlight;
    const load = this.load(runId, spec, loadWeights, shape).finally(() => this.loading.delete(runId));
    this.loading.set(runId, load);
    return load;
  }

  private async load(
    runId: string,
    spec: MlpSpec | CnnSpec,
    loadWeights: () => Promise<SerializedTensor[]>,
    shape: DatasetShape,
  ): Promise<Predictor> {
    await prepareBackend({ backend: this.config.backend });
    const weights = await loadWeights();
    const predictor = createPredictor(spec, weights, shape);
    this.drop(runId);
    const bytes = weights.reduce((n, w) => n + w.values.byteLength, 0);
    this.cache.set(runId, { predictor, bytes });
    this.bytes += bytes;
    const budget = this.config.predictorCacheMb * 1024 * 1024;
    while (this.cache.size > 1 && (this.cache.size > this.capacity || this.bytes > budget)) {
      const [oldest] = this.cache.keys();
      this.drop(oldest!);
    }
    return predictor;
  }

  drop(runId: string): void {
    const entry = this.cache.get(runId);
    if (!entry) return;
    entry.predictor.dispose();
    this.bytes -= entry.bytes;
    this.cache.delete(runId);
  }
}
