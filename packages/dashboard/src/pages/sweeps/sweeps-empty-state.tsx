import { Link } from "../../router.tsx";

/** What a new user sees before the first sweep: how to start one, here or from a terminal. */
export function SweepsEmptyState() {
  return (
    <div className="empty">
      <h2>No sweeps yet</h2>
      <p>
        Search hyperparameters: <Link href="/sweeps/new">start a sweep here</Link> (the presets are the
        reference study's spaces), or from a terminal:
      </p>
      <pre>
        <code>
          SWEEPLAB_URL={location.origin} pnpm sweeplab sweep --preset seed-mlp --trials 10 --steps 1000
        </code>
      </pre>
      <p className="muted">
        (with <code>SWEEPLAB_TOKEN=…</code> too if this service has a token). Its leaderboard and plots fill
        in here live as trials finish.
      </p>
    </div>
  );
}
