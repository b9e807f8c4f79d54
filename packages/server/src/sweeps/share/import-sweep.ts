// A sweep export file written into this store as a new sweep: new ids, the runs as they ended, marked imported.
// It never schedules a trial: the sweep arrives ended, every run terminal (store/import-sweep.ts insists). A
// snapshot of a sweep that was still running arrives canceled, its unfinished runs canceled with a reason.
import { randomUUID } from "node:crypto";
import {
  isTerminal,
  isTerminalEvent,
  type SweepExport,
  type SweepImportResult,
  TERMINAL_EVENT_STATUS,
} from "@sweeplab/contract";
import { isCoreError, parseSearchSpace, type RunEvent } from "@sweeplab/core";
import { ProblemError } from "../../problem.ts";
import { newRunId } from "../../runs/run-service.ts";
import type { ImportedSweep, Store, StoredEvent, SweepRecord } from "../../store/store.ts";

/** What an imported sweep's spec records about where it came from (the spec's `imported` field). */
export interface ImportedFrom {
  /** The sweep's id on the service that exported it. */
  sweepId: string;
  exportedAt: string;
  /** Its status there, when it was not ended yet (a snapshot of a running sweep). */
  exportedStatus: string;
  importedAt: string;
}

/** Where an imported sweep came from; undefined for a sweep started here. */
export function importedFrom(sweep: SweepRecord): ImportedFrom | undefined {
  const spec = sweep.spec as { imported?: ImportedFrom };
  return spec.imported;
}

/** The summary's mark of an imported sweep (`importedFrom`), or nothing for a sweep started here. */
export function importedSummary(sweep: SweepRecord): { importedFrom?: string } {
  const from = importedFrom(sweep);
  return from ? { importedFrom: from.sweepId } : {};
}

/** True for a sweep that came from an export file: read-only, never resumed, retried or scheduled. */
export function isImportedSweep(sweep: SweepRecord): boolean {
  return importedFrom(sweep) !== undefined;
}

/**
 * Refuses to change an imported sweep (409 SWEEP_IMPORTED): a route that would set a sweep running again (resume,
 * retry, extend) calls this first, since the scheduler never advances an imported sweep.
 */
export function assertNotImported(sweep: SweepRecord): void {
  const from = importedFrom(sweep);
  if (from)
    throw new ProblemError(
      409,
      "SWEEP_IMPORTED",
      `sweep ${sweep.id} was imported (from ${from.sweepId}): it is read-only here; run a new sweep, or warm-start one from it`,
    );
}

const ms = (iso: string) => Date.parse(iso);
const msOrNull = (iso: string | null) => (iso === null ? null : ms(iso));

function invalid(path: string, message: string): never {
  throw new ProblemError(400, "INVALID_SWEEP_EXPORT", `${path}: ${message}`, [{ path, message }]);
}

/**
 * What the schema cannot say: indices and run ids unique, a re-run naming an earlier attempt, events numbered 1..n in order and ending as the run's status says,
 * one metric row per step and kind, a seed that is its config's, a space that parses. A file that breaks one is refused before anything is written.
 */
export function checkSweepExport(file: SweepExport): void {
  try {
    parseSearchSpace(file.sweep.spec.space);
  } catch (error) {
    if (isCoreError(error)) invalid("sweep.spec.space", error.message);
    throw error;
  }
  const trialIndices = new Set<number>();
  const runIds = new Set<string>();
  file.trials.forEach((trial, t) => {
    if (trialIndices.has(trial.index)) invalid(`trials.${t}.index`, `trial ${trial.index} appears twice`);
    trialIndices.add(trial.index);
    const attempts = new Map<string, { repeatIndex: number; trialAttempt: number }>();
    for (const run of trial.runs) attempts.set(run.id, run);
    const slots = new Set<string>();
    trial.runs.forEach((run, r) => {
      const at = `trials.${t}.runs.${r}`;
      const slot = `${run.repeatIndex}/${run.trialAttempt}`;
      if (slots.has(slot))
        invalid(`${at}.repeatIndex`, `repeat ${run.repeatIndex} attempt ${run.trialAttempt} appears twice`);
      slots.add(slot);
      if (runIds.has(run.id)) invalid(`${at}.id`, `run ${run.id} appears twice`);
      runIds.add(run.id);
      const earlier = run.retryOf === null ? undefined : attempts.get(run.retryOf);
      if (
        run.retryOf !== null &&
        (earlier?.repeatIndex !== run.repeatIndex || earlier.trialAttempt >= run.trialAttempt)
      )
        invalid(`${at}.retryOf`, `${run.retryOf} is no earlier attempt of this trial repeat`);
      if (run.seed !== run.config.seed)
        invalid(`${at}.seed`, `is ${run.seed}, its config's is ${run.config.seed}`);
      run.events.forEach((e, i) => {
        if (e.seq !== i + 1)
          invalid(`${at}.events.${i}.seq`, `is ${e.seq}: events are numbered 1, 2, 3, ...`);
      });
      // A run's stream ends at its terminal event: an ended run has one, last, saying how it ended; others none.
      const last = run.events.at(-1)?.event.type;
      const ending = last !== undefined && isTerminalEvent(last) ? TERMINAL_EVENT_STATUS[last] : undefined;
      if (
        isTerminal(run.status) ? ending !== run.status : run.events.some((e) => isTerminalEvent(e.event.type))
      )
        invalid(`${at}.events`, `do not end as a ${run.status} run's do (last: ${last ?? "none"})`);
      const rows = new Set<string>();
      run.metrics.forEach((m, i) => {
        const key = `${m.kind}@${m.step}`;
        if (rows.has(key)) invalid(`${at}.metrics.${i}`, `a second ${m.kind} row at step ${m.step}`);
        rows.add(key);
      });
    });
  });
}

/** The store's rows for a checked file: new ids throughout, unfinished runs (and a running sweep) canceled. */
export function toImportedSweep(
  file: SweepExport,
  now: number,
): { imported: ImportedSweep; runIds: Record<string, string> } {
  const sweepId = `swp_${randomUUID().replaceAll("-", "").slice(0, 20)}`;
  const exportedAt = ms(file.exportedAt);
  const wasRunning = file.sweep.status === "running";
  const imported: ImportedFrom = {
    sweepId: file.sweep.id,
    exportedAt: file.exportedAt,
    exportedStatus: file.sweep.status,
    importedAt: new Date(now).toISOString(),
  };
  const runIds: Record<string, string> = {};
  for (const run of file.trials.flatMap((t) => t.runs)) runIds[run.id] = newRunId();
  const runs = file.trials.flatMap((trial) => {
    const { index, runs: trialRuns, ...record } = trial;
    return trialRuns.map((run) => {
      const id = runIds[run.id]!;
      const finished = isTerminal(run.status);
      const reason = "not finished when its sweep was exported";
      const events: StoredEvent[] = run.events.map(({ seq, createdAt, event }) => {
        const { type, ...data } = event;
        return { seq, type, data, createdAt: ms(createdAt) };
      });
      if (!finished) {
        const canceled: RunEvent = { type: "canceled", step: run.step, reason };
        const { type, ...data } = canceled;
        events.push({ seq: events.length + 1, type, data, createdAt: exportedAt });
      }
      return {
        row: {
          id,
          name: run.name,
          tags: run.tags,
          status: finished ? run.status : ("canceled" as const),
          config: run.config,
          sweepId,
          trialIndex: index,
          repeatIndex: run.repeatIndex,
          trialAttempt: run.trialAttempt,
          retryOf: run.retryOf === null ? null : runIds[run.retryOf]!,
          trial: record,
          attempts: run.attempts,
          step: run.step,
          totalSteps: run.totalSteps,
          testAccuracy: run.testAccuracy,
          testLoss: run.testLoss,
          bestValidationAccuracy: run.bestValidationAccuracy,
          errorCode: finished ? run.errorCode : "CANCELED",
          errorMessage: finished ? run.errorMessage : reason,
          environment: run.environment,
          datasetShape: run.datasetShape,
          evaluation: run.evaluation,
          msPerStep: run.msPerStep,
          createdAt: ms(run.createdAt),
          startedAt: msOrNull(run.startedAt),
          finishedAt: finished ? msOrNull(run.finishedAt) : exportedAt,
        },
        metrics: run.metrics,
        events,
      };
    });
  });
  return {
    imported: {
      sweep: {
        id: sweepId,
        name: file.sweep.name,
        status: wasRunning ? "canceled" : file.sweep.status,
        stopReason: wasRunning
          ? `still running when exported at ${file.exportedAt}; imported as it was then`
          : file.sweep.stopReason,
        spec: { ...file.sweep.spec, imported },
        createdAt: ms(file.sweep.createdAt),
        finishedAt: wasRunning ? exportedAt : msOrNull(file.sweep.finishedAt),
      },
      runs,
    },
    runIds,
  };
}

/** Checks a parsed export file and writes it as a new sweep, all of it or nothing. */
export async function importSweepFile(store: Store, file: SweepExport): Promise<SweepImportResult> {
  checkSweepExport(file);
  const { imported, runIds } = toImportedSweep(file, Date.now());
  await store.importSweep(imported);
  return { id: imported.sweep.id, importedFrom: file.sweep.id, runIds };
}
