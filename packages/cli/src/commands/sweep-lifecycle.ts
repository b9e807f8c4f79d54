// `sweeplab sweep resume | retry | extend`: the sweep lifecycle's actions, each then followed like `sweep watch`
// (or, with --detach, only asked for).
import type { Sweep } from "@sweeplab/sdk";
import { UsageError } from "../errors.ts";
import type { Target } from "../target.ts";
import { watchSweep } from "./sweep.ts";
import { type BudgetFlags, budgetFromFlags } from "./sweep-budget.ts";

export interface LifecycleFlags extends BudgetFlags {
  json?: boolean;
  detach?: boolean;
  trials?: string;
}

async function follow(target: Target, sweep: Sweep, what: string, flags: LifecycleFlags): Promise<Sweep> {
  if (flags.detach) {
    console.log(flags.json ? JSON.stringify(sweep) : `${sweep.id} ${sweep.status}`);
    return sweep;
  }
  if (!flags.json) console.error(`sweep ${sweep.id} ${what} (Ctrl-C stops watching; the sweep goes on)`);
  return watchSweep(target, sweep.id, { json: flags.json });
}

export async function resumeSweep(target: Target, id: string, flags: LifecycleFlags) {
  const budget = budgetFromFlags(flags);
  const sweep = await target.client.sweeps.resume(id, budget ? { budget } : {});
  return follow(target, sweep, "resumed: its canceled and remaining trials run", flags);
}

export async function retrySweep(target: Target, id: string, flags: LifecycleFlags) {
  const sweep = await target.client.sweeps.retry(id);
  return follow(target, sweep, "retrying its failed and diverged trials as new attempts", flags);
}

export async function extendSweep(target: Target, id: string, flags: LifecycleFlags) {
  if (flags.trials === undefined) throw new UsageError("sweep extend needs --trials N (the trials to add)");
  const trials = Number(flags.trials);
  if (!Number.isInteger(trials) || trials < 1)
    throw new UsageError(`--trials takes a whole number of at least 1, got "${flags.trials}"`);
  const budget = budgetFromFlags(flags);
  const sweep = await target.client.sweeps.extend(id, { trials, ...(budget ? { budget } : {}) });
  return follow(target, sweep, `extended to ${sweep.trials} trials`, flags);
}
