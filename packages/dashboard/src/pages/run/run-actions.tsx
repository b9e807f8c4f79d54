import type { Run } from "@sweeplab/sdk";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { navigate } from "../../router.tsx";

const ACTIVE = new Set(["queued", "running"]);

/** Cancel (while it trains), delete (once it ended), download the trained model. */
export function RunActions({ run }: { run: Run }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => client.runs.cancel(run.id),
    onSuccess: (updated) => queryClient.setQueryData(["run", run.id], updated),
  });
  const remove = useMutation({
    mutationFn: () => client.runs.delete(run.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.runs });
      navigate("/");
    },
  });
  const error = cancel.error ?? remove.error;
  return (
    <div className="actions">
      {run.status === "succeeded" ? (
        <a
          className="button"
          href={`/v1/runs/${encodeURIComponent(run.id)}/model`}
          download={`${run.id}.json`}
        >
          Download model
        </a>
      ) : null}
      {ACTIVE.has(run.status) ? (
        <button type="button" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          Cancel
        </button>
      ) : (
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() => {
            if (confirm(`Delete run ${run.name ?? run.id} and its files?`)) remove.mutate();
          }}
        >
          Delete
        </button>
      )}
      {error ? (
        <span role="alert" className="error">
          {(error as Error).message}
        </span>
      ) : null}
    </div>
  );
}
