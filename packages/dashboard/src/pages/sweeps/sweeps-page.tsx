/**
 * Where the sweep pages go (leaderboard, parallel coordinates, metric per parameter, best so far, importance,
 * all trials' curves) once the service has `/v1/sweeps`; the nav hides this route until then.
 */
export function SweepsPage() {
  return (
    <section>
      <h1>Sweeps</h1>
      <p className="muted">This service has no sweeps API yet.</p>
    </section>
  );
}
