import { CoreError } from "../errors.ts";

/**
 * When a run counts as collapsed. A run of at least `minSteps` steps is judged once, at its first evaluation at or
 * after `atFraction` of its steps: its training loss (on the train-eval slice, as `eval` events report it) must
 * have fallen below (1 - requiredFall) x its reference loss. The reference is the same slice's loss measured
 * before the first step, capped at ln(classes), the loss of a uniform prediction: a run stuck at a constant
 * prediction sits near ln(classes) (2.30 on MNIST) whatever its initial loss was. A resumed run has no measured
 * start and uses ln(classes). Shorter runs are not judged: a few steps prove nothing either way.
 */
export const DIVERGENCE_RULE = { minSteps: 100, atFraction: 0.1, requiredFall: 0.1 } as const;

/** The evaluation step a run of `steps` steps is judged at (evaluations every `evalEverySteps` and at the end), or null. */
export function divergenceCheckStep(steps: number, evalEverySteps: number): number | null {
  if (steps < DIVERGENCE_RULE.minSteps) return null;
  const from = Math.ceil(DIVERGENCE_RULE.atFraction * steps);
  return Math.min(Math.ceil(from / evalEverySteps) * evalEverySteps, steps);
}

/** The loss a run's training loss is judged against. */
export function referenceLoss(startLoss: number | null, classes: number): number {
  const uniform = Math.log(classes);
  return startLoss !== null && Number.isFinite(startLoss) ? Math.min(startLoss, uniform) : uniform;
}

/** A DIVERGED error stating the numbers when `trainLoss` at `step` has not fallen far enough, else null. */
export function divergenceError(trainLoss: number, step: number, reference: number): CoreError | null {
  const threshold = (1 - DIVERGENCE_RULE.requiredFall) * reference;
  if (trainLoss < threshold) return null;
  return new CoreError(
    "DIVERGED",
    `training loss ${trainLoss.toFixed(3)} at step ${step} has not fallen below ${threshold.toFixed(3)} ` +
      `(${Math.round((1 - DIVERGENCE_RULE.requiredFall) * 100)} % of its starting value ${reference.toFixed(3)}): ` +
      "the run collapsed or diverged",
    { details: { step, trainLoss, startLoss: reference, threshold } },
  );
}
