import type { Sweep } from "@sweeplab/sdk";
import { formatDate } from "../../format.ts";

/** "in 3 min", "in 42 s": how long until `at`. */
function fromNow(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((at - now) / 1000));
  return seconds < 90 ? `in ${seconds} s` : `in ${Math.round(seconds / 60)} min`;
}

/** The sweep's budget and, while it runs, its estimated finish (from its trials so far): facts for the sweep page. */
export function SweepBudgetFacts({ sweep }: { sweep: Sweep }) {
  const budget = sweep.budget;
  const limits = [
    budget?.wallClockSeconds !== undefined ? `${+(budget.wallClockSeconds / 60).toFixed(2)} min` : null,
    budget?.maxTrials !== undefined ? `${budget.maxTrials} trial runs` : null,
  ].filter(Boolean);
  const eta = sweep.status === "running" ? sweep.estimatedFinishAt : null;
  return (
    <>
      {limits.length ? (
        <div>
          <dt>Budget</dt>
          <dd data-testid="sweep-budget">{limits.join(" · ")}</dd>
        </div>
      ) : null}
      {sweep.status === "running" ? (
        <div>
          <dt>Estimated finish</dt>
          <dd data-testid="sweep-eta" data-at={eta ?? ""}>
            {eta ? `${formatDate(eta)} (${fromNow(Date.parse(eta), Date.now())})` : "after its first trial"}
          </dd>
        </div>
      ) : null}
      {sweep.warmStartFrom ? (
        <div>
          <dt>Warm start</dt>
          <dd>{sweep.warmStartFrom}</dd>
        </div>
      ) : null}
    </>
  );
}
