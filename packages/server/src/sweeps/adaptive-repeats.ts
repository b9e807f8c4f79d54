// `repeats: "auto"` in the scheduler: racing (core's pendingRepeats) over the sweep's ended runs. Every config gets
// one seed first; once every trial is proposed, a config gets one more seed at a time while its interval overlaps
// the best's (or, being the best, another's overlaps its own), up to the sweep's `repeats` (its maxRepeats).
import { canonicalJson, type LeaderboardTrial, pendingRepeats, TERMINAL_STATUSES } from "@sweeplab/core";
import type { SweepSpec } from "./sweep-spec.ts";
import type { Trial } from "./trials.ts";

/** One more seed racing asks for: the trial (the config's first) and the repeat index its run gets. */
export interface RacingRepeat {
  trial: Trial;
  repeat: number;
}

/**
 * The seeds racing asks for now, best config first: none before every trial is proposed (`nextIndex` reached
 * `spec.trials`), none for a config with a run still queued or training (it is judged on that run's result).
 */
export function racingRepeats(trials: readonly Trial[], spec: SweepSpec, nextIndex: number): RacingRepeat[] {
  if (!spec.adaptiveRepeats || nextIndex < spec.trials) return [];
  const history: LeaderboardTrial[] = [];
  const busy = new Set<string>();
  const firstTrial = new Map<string, Trial>();
  for (const trial of trials) {
    const key = canonicalJson(trial.params);
    if (!firstTrial.has(key)) firstTrial.set(key, trial);
    for (const [i, run] of trial.runs.entries()) {
      if (TERMINAL_STATUSES.includes(run.status)) {
        history.push({ id: run.id, params: trial.params, value: trial.values[i] ?? null });
      } else busy.add(key);
    }
  }
  return pendingRepeats(history, { maxRepeats: spec.repeats, direction: spec.direction }).flatMap(
    (params) => {
      const key = canonicalJson(params);
      const trial = firstTrial.get(key);
      return trial && !busy.has(key) ? [{ trial, repeat: trial.runs.length }] : [];
    },
  );
}
