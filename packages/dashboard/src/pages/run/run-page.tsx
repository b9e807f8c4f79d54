import { useQuery } from "@tanstack/react-query";
import { client } from "../../api/client.ts";
import { queryKeys } from "../../api/query-keys.ts";
import { StatusBadge } from "../../components/status-badge.tsx";
import { formatMs, formatPercent } from "../../format.ts";
import { ConfigTable } from "./config-table.tsx";
import { DigitPad } from "./digit-pad/digit-pad.tsx";
import { EnvironmentPanel } from "./environment-panel.tsx";
import { EvaluationPanel } from "./evaluation-panel.tsx";
import { RunActions } from "./run-actions.tsx";
import { RunCurvesPanel } from "./run-curves.tsx";
import { useRunCurves } from "./use-run-curves.ts";

export function RunPage({ id }: { id: string }) {
  const run = useQuery({
    queryKey: queryKeys.run(id),
    queryFn: () => client.runs.get(id),
    refetchInterval: (q) =>
      q.state.data?.status === "queued" || q.state.data?.status === "running" ? 2000 : false,
  });
  const curves = useRunCurves(id);
  if (run.isError)
    return (
      <p role="alert" className="error">
        {(run.error as Error).message}
      </p>
    );
  if (!run.data) return <p>Loading…</p>;
  const r = run.data;
  return (
    <section>
      <div className="page-head">
        <h1>
          {r.name ?? r.id} <StatusBadge status={r.status} />
        </h1>
        <RunActions run={r} />
      </div>
      <dl className="facts">
        <div>
          <dt>Step</dt>
          <dd data-testid="run-step">
            {r.step} / {r.totalSteps}
          </dd>
        </div>
        <div>
          <dt>Test accuracy</dt>
          <dd data-testid="test-accuracy">{formatPercent(r.testAccuracy)}</dd>
        </div>
        <div>
          <dt>Step time</dt>
          <dd>{formatMs(r.msPerStep)}</dd>
        </div>
        <div>
          <dt>Id</dt>
          <dd>
            <code>{r.id}</code>
          </dd>
        </div>
      </dl>
      {r.error ? (
        <p role="alert" className="error">
          {r.error.code}: {r.error.message}
        </p>
      ) : null}
      <h2>Curves</h2>
      <RunCurvesPanel curves={curves} />
      {r.status === "succeeded" ? (
        <>
          <h2>Evaluation</h2>
          <EvaluationPanel runId={r.id} />
          <h2>Digit pad</h2>
          <DigitPad runId={r.id} />
        </>
      ) : null}
      <div className="two-col">
        <div>
          <h2>Config</h2>
          <ConfigTable config={r.config} />
        </div>
        <div>
          <h2>Environment</h2>
          <EnvironmentPanel environment={r.environment} />
        </div>
      </div>
    </section>
  );
}
