import type { Run } from "@sweeplab/sdk";

export function StatusBadge({ status }: { status: Run["status"] }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}
