import { Link } from "../../router.tsx";

/** What a new user sees before the first run: how to start one, here or from a terminal. */
export function EmptyState() {
  return (
    <div className="empty">
      <h2>No runs yet</h2>
      <p>
        Train a first model: <Link href="/runs/new">start a run here</Link> (the defaults train a 2-layer MLP
        on MNIST), or from a terminal:
      </p>
      <pre>
        <code>SWEEPLAB_URL={location.origin} pnpm sweeplab train --model mlp --steps 1000</code>
      </pre>
      <p className="muted">
        (with <code>SWEEPLAB_TOKEN=…</code> too if this service has a token). Its curves appear here live
        while it trains.
      </p>
    </div>
  );
}
