import type { Sweep } from "@sweeplab/sdk";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { ErrorAlert } from "../../components/error-alert.tsx";
import { Link } from "../../router.tsx";
import { ShareLinks } from "./share-links.tsx";
import { SweepLifecycleActions } from "./sweep-lifecycle-actions.tsx";

/** Cancel while it runs (no more trials; its queued and training runs are canceled); its runs in the runs table. */
export function SweepActions({ sweep }: { sweep: Sweep }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => client.sweeps.cancel(sweep.id),
    onSuccess: (updated) => {
      queryClient.setQueryData(["sweep", sweep.id], updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.sweeps });
    },
  });
  return (
    <div className="actions">
      <Link href={`/?sweep=${encodeURIComponent(sweep.id)}`} className="button">
        Its runs
      </Link>
      <ShareLinks sweep={sweep} />
      {sweep.status === "running" ? (
        <button
          type="button"
          className="danger"
          disabled={cancel.isPending}
          onClick={() => {
            if (confirm(`Cancel sweep ${sweep.name ?? sweep.id} and its unfinished trials?`)) cancel.mutate();
          }}
        >
          Cancel sweep
        </button>
      ) : null}
      <SweepLifecycleActions sweep={sweep} />
      {cancel.isError ? <ErrorAlert error={cancel.error} inline /> : null}
    </div>
  );
}
