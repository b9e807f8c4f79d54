import { ConfigTable } from "./config-table.tsx";

/** Backend, devices, versions and parameter count, as the worker reported them when the run started. */
export function EnvironmentPanel({ environment }: { environment: Record<string, unknown> | null }) {
  if (!environment) return <p className="muted">Known once the run starts.</p>;
  return <ConfigTable config={environment} />;
}
