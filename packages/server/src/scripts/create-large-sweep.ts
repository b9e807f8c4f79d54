// `pnpm --filter @sweeplab/server exec tsx src/scripts/create-large-sweep.ts`: writes the 10,000-trial fixture sweep
// (test-support/large-sweep.ts) into the store DATABASE_URL names (SQLite file or PostgreSQL), migrating it first.
// FIXTURE_ID (default "fixture-10k"), FIXTURE_TRIALS (10000), FIXTURE_EVALS (20), FIXTURE_ACTIVE (16: trials left
// queued so the sweep stays running; 0 for a finished one). Prints one JSON line.
import { openStore } from "../store/open.ts";
import { insertLargeSweep } from "../test-support/large-sweep.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (file:/path/store.sqlite or postgres://…)");
  process.exit(2);
}
const store = await openStore(url);
const started = performance.now();
try {
  const { sweepId, runIds } = await insertLargeSweep(store, {
    id: process.env.FIXTURE_ID ?? "fixture-10k",
    trials: Number(process.env.FIXTURE_TRIALS ?? 10_000),
    evals: Number(process.env.FIXTURE_EVALS ?? 20),
    active: Number(process.env.FIXTURE_ACTIVE ?? 16),
  });
  console.log(
    JSON.stringify({
      sweepId,
      runs: runIds.length,
      seconds: (performance.now() - started) / 1000,
      store: store.location,
    }),
  );
} finally {
  await store.close();
}
