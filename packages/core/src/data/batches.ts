import { SeededRandom } from "./random.ts";

/**
 * The example indices of every training batch, as a pure function of (seed, step): each epoch is a fresh seeded
 * permutation of the training set, and batches run through epochs back to back. A resumed run asks for step k
 * and gets exactly the batch it would have had.
 */
export class BatchSchedule {
  private readonly count: number;
  private readonly batchSize: number;
  private readonly seed: number;
  private cachedEpoch = -1;
  private permutation = new Int32Array(0);

  constructor(options: { count: number; batchSize: number; seed: number }) {
    this.count = options.count;
    this.batchSize = options.batchSize;
    this.seed = options.seed;
  }

  private epochOrder(epoch: number): Int32Array {
    if (epoch !== this.cachedEpoch) {
      const identity = Int32Array.from({ length: this.count }, (_, i) => i);
      this.permutation = new SeededRandom((this.seed * 1_000_003 + epoch) >>> 0).shuffle(identity);
      this.cachedEpoch = epoch;
    }
    return this.permutation;
  }

  /** Indices into the training split for the batch of `step` (0-based). */
  indices(step: number): Int32Array {
    const out = new Int32Array(this.batchSize);
    let offset = step * this.batchSize;
    for (let i = 0; i < this.batchSize; i++, offset++) {
      const epoch = Math.floor(offset / this.count);
      out[i] = this.epochOrder(epoch)[offset - epoch * this.count]!;
    }
    return out;
  }
}
