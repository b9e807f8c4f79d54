import type { RunConfigInput } from "./config.ts";
import type { TrainEvent } from "./events.ts";
import { type TrainOptions, train } from "./train.ts";

/** A small, fast MLP run on real MNIST, for tests. */
export const SMALL_MLP: RunConfigInput = {
  model: { kind: "mlp", depth: 1, width: 32 },
  batchSize: 64,
  steps: 300,
  logEverySteps: 50,
  evalEverySteps: 150,
  validationSize: 1000,
};

export async function collect(config: RunConfigInput, options?: TrainOptions): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  for await (const event of train(config, options)) events.push(event);
  return events;
}

export function last<T extends TrainEvent["type"]>(events: TrainEvent[], type: T) {
  return events.filter((e): e is Extract<TrainEvent, { type: T }> => e.type === type).at(-1);
}
