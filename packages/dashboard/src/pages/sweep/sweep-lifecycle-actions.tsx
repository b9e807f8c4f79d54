import type { Sweep } from "@sweeplab/sdk";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { ErrorAlert } from "../../components/error-alert.tsx";

/**
 * Resume (a canceled, failed or budget-stopped sweep: its canceled and remaining trials run, finished ones never), retry (its failed
 * and diverged trials, as new attempts) and add trials (the sampler continuing from its history).
 */
export function SweepLifecycleActions({ sweep }: { sweep: Sweep }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: () => Promise<Sweep>) => action(),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.sweep(sweep.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.sweeps });
    },
  });
  // An imported sweep is a read-only record of work done elsewhere (the service refuses 409 SWEEP_IMPORTED).
  if (sweep.importedFrom) return null;
  // A complete sweep has nothing to resume; one its budget stopped (succeeded, with the reason) has.
  const resumable =
    sweep.status === "canceled" ||
    sweep.status === "failed" ||
    (sweep.status === "succeeded" && sweep.stopReason !== null);
  // From the counts (each trial repeat by its latest attempt): the page reads the sweep without its trial runs.
  const failed = (sweep.runsByStatus.failed ?? 0) + (sweep.runsByStatus.diverged ?? 0) > 0;
  const canExtend = sweep.status === "running" || sweep.status === "succeeded";
  return (
    <>
      {resumable ? (
        <button
          type="button"
          disabled={act.isPending}
          onClick={() => act.mutate(() => client.sweeps.resume(sweep.id))}
        >
          Resume sweep
        </button>
      ) : null}
      {failed ? (
        <button
          type="button"
          disabled={act.isPending}
          onClick={() => act.mutate(() => client.sweeps.retry(sweep.id))}
        >
          Retry failed trials
        </button>
      ) : null}
      {canExtend ? (
        <button
          type="button"
          disabled={act.isPending}
          onClick={() => {
            const answer = prompt("Trials to add", "5");
            const trials = Number(answer);
            if (answer !== null && Number.isInteger(trials) && trials > 0)
              act.mutate(() => client.sweeps.extend(sweep.id, { trials }));
          }}
        >
          Add trials
        </button>
      ) : null}
      {act.isError ? <ErrorAlert error={act.error} inline /> : null}
    </>
  );
}
