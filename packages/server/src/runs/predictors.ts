import type { CnnSpec, DatasetShape, MlpSpec, Predictor, SerializedTensor } from "@sweeplab/core";
import { createPredictor, prepareBackend } from "@sweeplab/core";
import type { ServerConfig } from "../config.ts";

/** Trained models kept ready for prediction in the service process (a few, least recently used dropped). */
export class PredictorCache {
  private readonly cache = new Map<string, Predictor>();

  constructor(
    private readonly config: Pick<ServerConfig, "backend">,
    private readonly capacity = 4,
  ) {}

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
      return hit;
    }
    await prepareBackend({ backend: this.config.backend });
    const weights = await loadWeights();
    const predictor = createPredictor(spec, weights, shape);
    this.cache.set(runId, predictor);
    if (this.cache.size > this.capacity) {
      const [oldest, evicted] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      evicted.dispose();
    }
    return predictor;
  }

  drop(runId: string): void {
    this.cache.get(runId)?.dispose();
    this.cache.delete(runId);
  }
}
