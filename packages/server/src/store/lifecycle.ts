// The run state machine: queued -> running -> succeeded | failed | canceled | diverged | pruned, and running ->
// queued when a worker stops or dies. Each transition is a pure function from the run (and what happened) to the
// row changes and the event to append; the stores apply them inside one transaction. Nothing else writes `status`.
import { type RunEvent, TERMINAL_EVENT_STATUS, TERMINAL_STATUSES } from "@sweeplab/core";
import { type EventExtras, type MetricRecord, type RunRecord, StoreConflictError } from "./store.ts";

export interface Transition {
  patch: Partial<RunRecord>;
  /** The event to append, when the transition is one. */
  event?: RunEvent;
  metric?: MetricRecord;
}

const isTerminal = (run: RunRecord) => TERMINAL_STATUSES.includes(run.status);

/** A worker takes a queued run. */
export function claimTransition(
  run: RunRecord,
  worker: { id: string; host: string },
  leaseMs: number,
  now: number,
): Transition {
  if (run.status !== "queued") throw invalid(run, "claimed");
  const attempt = run.attempts + 1;
  return {
    patch: {
      status: "running",
      attempts: attempt,
      leaseOwner: worker.id,
      leaseExpiresAt: now + leaseMs,
      startedAt: run.startedAt ?? now,
    },
    event: { type: "claimed", workerId: worker.id, host: worker.host, attempt },
  };
}

/** A stopping worker hands the run back: no attempt spent. One asked to cancel ends canceled (claims skip it). */
export function releaseTransition(run: RunRecord, reason: string, now: number): Transition {
  if (run.status !== "running") throw invalid(run, "requeued");
  if (run.cancelRequested) return cancelOnRelease(run, now);
  const attempts = Math.max(0, run.attempts - 1);
  return {
    patch: { status: "queued", attempts, leaseOwner: null, leaseExpiresAt: null },
    event: { type: "requeued", reason, attempt: attempts },
  };
}

/** A run asked to cancel whose worker stopped or was lost before it could say `canceled`. */
function cancelOnRelease(
  run: RunRecord,
  now: number,
  reason = "canceled while its worker stopped",
): Transition {
  return {
    patch: {
      ...ended("canceled", now),
      errorCode: "CANCELED",
      errorMessage: "canceled",
    },
    event: { type: "canceled", step: run.step, reason },
  };
}

/** A lease ran out: the worker died or lost its database. The attempt it had is spent. */
export function expireTransition(run: RunRecord, maxAttempts: number, now: number): Transition {
  const lease = { leaseOwner: null, leaseExpiresAt: null };
  if (run.cancelRequested) return cancelOnRelease(run, now, "canceled while its worker was lost");
  const reason = `worker ${run.leaseOwner} stopped answering at step ${run.step}`;
  if (run.attempts >= maxAttempts) {
    const message = `${reason}; gave up after ${run.attempts} attempts`;
    return {
      patch: {
        ...lease,
        status: "failed",
        errorCode: "TOO_MANY_ATTEMPTS",
        errorMessage: message,
        finishedAt: now,
      },
      event: { type: "failed", step: run.step, code: "INTERNAL", message },
    };
  }
  return {
    patch: { ...lease, status: "queued", errorMessage: reason },
    event: { type: "requeued", reason, attempt: run.attempts },
  };
}

/** A client cancels: a queued run ends now; a running one is flagged for its worker. */
export function cancelTransition(run: RunRecord, reason: string, now: number): Transition {
  if (isTerminal(run)) throw new StoreConflictError("RUN_FINISHED", `run ${run.id} is ${run.status} already`);
  if (run.status === "queued") {
    return {
      patch: { status: "canceled", errorCode: "CANCELED", errorMessage: reason, finishedAt: now },
      event: { type: "canceled", step: run.step, reason },
    };
  }
  return { patch: { cancelRequested: true } };
}

/** An event a worker reports while it trains the run: progress, or the run's end. */
export function workerEventTransition(
  run: RunRecord,
  event: RunEvent,
  extras: EventExtras,
  now: number,
): Transition {
  if (run.status !== "running") throw invalid(run, event.type);
  switch (event.type) {
    case "started":
      return {
        patch: {
          environment: {
            backend: event.backend,
            versions: event.versions,
            parameterCount: event.parameterCount,
          },
          datasetShape: event.dataset,
        },
      };
    case "step":
      return {
        patch: { step: event.step, msPerStep: event.msPerStep },
        metric: {
          step: event.step,
          kind: "step",
          loss: event.loss,
          learningRate: event.learningRate,
          msPerStep: event.msPerStep,
          ...NO_EVAL,
        },
      };
    case "eval": {
      const best = Math.max(run.bestValidationAccuracy ?? -1, event.validationAccuracy ?? -1);
      return {
        patch: { bestValidationAccuracy: best >= 0 ? best : null },
        metric: {
          step: event.step,
          kind: "eval",
          loss: null,
          msPerStep: null,
          learningRate: event.learningRate,
          trainLoss: event.trainLoss,
          trainAccuracy: event.trainAccuracy,
          validationLoss: event.validationLoss,
          validationAccuracy: event.validationAccuracy,
        },
      };
    }
    case "checkpoint":
      return { patch: {} };
    case "finished":
      return {
        patch: {
          ...ended("succeeded", now),
          step: event.step,
          testAccuracy: event.testAccuracy,
          testLoss: event.testLoss,
          msPerStep: event.msPerStep,
          evaluation: extras.evaluation ?? null,
        },
      };
    case "failed":
    case "diverged":
      return {
        patch: {
          ...ended(TERMINAL_EVENT_STATUS[event.type], now),
          step: event.step,
          errorCode: event.code,
          errorMessage: event.message,
        },
      };
    case "canceled":
      return {
        patch: {
          ...ended("canceled", now),
          step: event.step,
          errorCode: "CANCELED",
          errorMessage: event.reason,
        },
      };
    case "pruned":
      return {
        patch: { ...ended("pruned", now), step: event.step, errorCode: "PRUNED", errorMessage: event.reason },
      };
    default:
      throw invalid(run, event.type);
  }
}

const NO_EVAL = {
  trainLoss: null,
  trainAccuracy: null,
  validationLoss: null,
  validationAccuracy: null,
} as const;

function ended(status: RunRecord["status"], now: number): Partial<RunRecord> {
  return { status, finishedAt: now, leaseOwner: null, leaseExpiresAt: null };
}

function invalid(run: RunRecord, what: string): StoreConflictError {
  if (isTerminal(run))
    return new StoreConflictError("RUN_FINISHED", `run ${run.id} is ${run.status} already`);
  return new StoreConflictError(
    "INVALID_TRANSITION",
    `run ${run.id} is ${run.status}: cannot take "${what}"`,
  );
}
