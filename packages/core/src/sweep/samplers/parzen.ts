import type { SeededRandom } from "../../data/random.ts";

/** One weighted normal kernel, truncated to the estimator's bounds. */
interface Kernel {
  mu: number;
  sigma: number;
  weight: number;
}

/** The normal CDF via erf (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

function standardNormal(random: SeededRandom): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/**
 * A Parzen estimator over [low, high] as in Bergstra et al. (2011) and Optuna's TPE: one truncated normal per
 * observation, its bandwidth the larger gap to its sorted neighbours (the bounds standing in at the ends), clipped
 * to [(high - low) / min(100, n + 1), high - low]; plus a prior kernel at the midpoint with bandwidth high - low
 * and weight `priorWeight`, so an estimator over few observations stays broad.
 */
export class ParzenEstimator {
  private readonly kernels: Kernel[];

  constructor(
    observations: readonly number[],
    private readonly low: number,
    private readonly high: number,
    priorWeight: number,
  ) {
    const span = high - low;
    const sorted = [...observations].sort((a, b) => a - b);
    const minSigma = span / Math.min(100, sorted.length + 1);
    this.kernels = sorted.map((mu, i) => {
      const left = mu - (sorted[i - 1] ?? low);
      const right = (sorted[i + 1] ?? high) - mu;
      const sigma = Math.min(span, Math.max(minSigma, left, right));
      return { mu, sigma, weight: 1 };
    });
    this.kernels.push({ mu: (low + high) / 2, sigma: span, weight: priorWeight });
    const total = this.kernels.reduce((sum, k) => sum + k.weight, 0);
    for (const k of this.kernels) k.weight /= total;
  }

  /** log density at x (x inside [low, high]). */
  logDensity(x: number): number {
    let density = 0;
    for (const { mu, sigma, weight } of this.kernels) {
      const z = (x - mu) / sigma;
      const mass = normalCdf((this.high - mu) / sigma) - normalCdf((this.low - mu) / sigma);
      density += (weight * Math.exp(-0.5 * z * z)) / (sigma * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
    }
    return Math.log(Math.max(density, 1e-300));
  }

  /** A draw from the mixture: a kernel chosen by weight, then its normal by rejection inside the bounds. */
  sample(random: SeededRandom): number {
    let pick = random.next();
    let kernel = this.kernels.at(-1)!;
    for (const k of this.kernels) {
      pick -= k.weight;
      if (pick < 0) {
        kernel = k;
        break;
      }
    }
    for (let attempt = 0; attempt < 100; attempt++) {
      const x = kernel.mu + kernel.sigma * standardNormal(random);
      if (x >= this.low && x <= this.high) return x;
    }
    return random.uniform(this.low, this.high);
  }
}

/**
 * A categorical estimator: p(choice) proportional to the observations of that choice plus `priorWeight` spread
 * evenly over the choices (Bergstra et al.'s smoothed counts), so an unseen choice keeps some probability.
 */
export class CategoricalEstimator {
  private readonly probabilities: number[];

  constructor(observations: readonly number[], choices: number, priorWeight: number) {
    const counts = new Array<number>(choices).fill(priorWeight / choices);
    for (const index of observations) counts[index]! += 1;
    const total = counts.reduce((a, b) => a + b, 0);
    this.probabilities = counts.map((c) => c / total);
  }

  logDensity(index: number): number {
    return Math.log(this.probabilities[index]!);
  }

  sample(random: SeededRandom): number {
    let pick = random.next();
    for (const [index, p] of this.probabilities.entries()) {
      pick -= p;
      if (pick < 0) return index;
    }
    return this.probabilities.length - 1;
  }
}
