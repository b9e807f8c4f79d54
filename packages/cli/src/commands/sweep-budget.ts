// The budget flags `sweep`, `sweep resume` and `sweep extend` share: --budget-minutes and --max-trials.
import type { SweepCreate } from "@sweeplab/sdk";
import { UsageError } from "../errors.ts";

export interface BudgetFlags {
  budgetMinutes?: string;
  maxTrials?: string;
}

type Budget = NonNullable<SweepCreate["budget"]>;

/** The budget the flags ask for, or undefined for none. */
export function budgetFromFlags(flags: BudgetFlags): Budget | undefined {
  const budget: Budget = {};
  if (flags.budgetMinutes !== undefined) {
    const minutes = Number(flags.budgetMinutes);
    if (!Number.isFinite(minutes) || minutes <= 0)
      throw new UsageError(
        `--budget-minutes takes a number of minutes above 0, got "${flags.budgetMinutes}"`,
      );
    budget.wallClockSeconds = minutes * 60;
  }
  if (flags.maxTrials !== undefined) {
    const n = Number(flags.maxTrials);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--max-trials takes a whole number of at least 1, got "${flags.maxTrials}"`);
    budget.maxTrials = n;
  }
  return Object.keys(budget).length > 0 ? budget : undefined;
}
