// Checkpoints and trained weights: one of each kind per run, replaced in place.
import { artifactOf } from "./queries.ts";
import { insert, type Job, pick } from "./statements.ts";

type Kind = "checkpoint" | "weights";

export function putArtifact(runId: string, kind: Kind, step: number, bytes: Buffer, now: number): Job<void> {
  return insert(
    "artifacts",
    { runId, kind, step, bytes, createdAt: now },
    { target: (t) => [t.artifacts.runId, t.artifacts.kind], set: { step, bytes, createdAt: now } },
  );
}

export function* getArtifact(runId: string, kind: Kind): Job<{ step: number; bytes: Buffer } | undefined> {
  const [row] = yield* pick("artifacts", (t) => ({ step: t.artifacts.step, bytes: t.artifacts.bytes }), {
    where: artifactOf(runId, kind),
    limit: 1,
  });
  return row;
}
