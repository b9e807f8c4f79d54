import type { SequencedRunEvent } from "@sweeplab/sdk";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { isUnauthorized, loginRequired } from "../../api/session.ts";

type Field =
  | "loss"
  | "learningRate"
  | "trainLoss"
  | "validationLoss"
  | "trainAccuracy"
  | "validationAccuracy";

/** A run's curves, aligned on one step axis (null where a series has no point at a step), as uPlot draws them. */
export interface RunCurves {
  steps: number[];
  series: Record<Field, (number | null)[]>;
  ended: boolean;
}

const FIELDS: Field[] = [
  "loss",
  "learningRate",
  "trainLoss",
  "validationLoss",
  "trainAccuracy",
  "validationAccuracy",
];

export function alignCurves(
  byStep: Map<number, Partial<Record<Field, number | null>>>,
  ended: boolean,
): RunCurves {
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const series = Object.fromEntries(
    FIELDS.map((f) => [f, steps.map((s) => byStep.get(s)?.[f] ?? null)]),
  ) as RunCurves["series"];
  return { steps, series, ended };
}

function applyEvent(byStep: Map<number, Partial<Record<Field, number | null>>>, event: SequencedRunEvent) {
  if (event.type === "step") {
    const at = byStep.get(event.step) ?? {};
    byStep.set(event.step, { ...at, loss: event.loss, learningRate: event.learningRate });
  } else if (event.type === "eval") {
    const at = byStep.get(event.step) ?? {};
    byStep.set(event.step, {
      ...at,
      trainLoss: event.trainLoss,
      trainAccuracy: event.trainAccuracy,
      validationLoss: event.validationLoss,
      validationAccuracy: event.validationAccuracy,
      learningRate: at.learningRate ?? event.learningRate,
    });
  }
}

/**
 * Follows `client.runs.events(id)`: the history first, then live events until the run ends. Renders at most
 * every 150 ms however fast events arrive; refreshes the run's query when it ends.
 */
export function useRunCurves(runId: string): RunCurves {
  const queryClient = useQueryClient();
  const [curves, setCurves] = useState<RunCurves>(() => alignCurves(new Map(), false));
  useEffect(() => {
    const abort = new AbortController();
    const byStep = new Map<number, Partial<Record<Field, number | null>>>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (ended = false) => {
      timer = undefined;
      setCurves(alignCurves(byStep, ended));
    };
    (async () => {
      try {
        for await (const event of client.runs.events(runId, { signal: abort.signal })) {
          applyEvent(byStep, event);
          if (event.type === "finished" || event.type === "failed" || event.type === "canceled")
            void queryClient.invalidateQueries({ queryKey: queryKeys.run(runId) });
          timer ??= setTimeout(flush, 150);
        }
        clearTimeout(timer);
        flush(true);
      } catch (error) {
        if (abort.signal.aborted) return;
        if (isUnauthorized(error)) loginRequired.set(true);
      }
    })();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [runId, queryClient]);
  return curves;
}
