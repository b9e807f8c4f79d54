import type { SweepTrial } from "@sweeplab/sdk";
import { describe, expect, it } from "vitest";
import { LiveSweepTable } from "./live-sweep-table.ts";

/** A stream that records what is written, as a terminal of the given size or as a pipe. */
function stream(tty: { columns: number; rows: number } | undefined) {
  const chunks: string[] = [];
  const out = {
    isTTY: tty !== undefined,
    columns: tty?.columns,
    rows: tty?.rows,
    write: (chunk: string) => chunks.push(chunk) > 0,
  } as unknown as NodeJS.WriteStream;
  return { out, text: () => chunks.join("") };
}

const trial = (index: number, status: string, step: number, value: number | null = null): SweepTrial => ({
  trialIndex: index,
  repeatIndex: 0,
  runId: `run_${index}`,
  status: status as SweepTrial["status"],
  params: {
    batchSize: 128,
    optimizer: "adamw",
    adamwLearningRate: 0.000827,
    activation: "relu",
  },
  value,
  step,
  totalSteps: 200,
  msPerStep: null,
  error: null,
});

const ESC = String.fromCharCode(27);
/** A redraw: up over the rows drawn before, then clear below. */
const REDRAW = new RegExp(`${ESC}\\[(\\d+)A${ESC}\\[0J`, "g");

describe("the live sweep table", () => {
  it("writes one plain line per status change to a pipe, with no control sequences", () => {
    const { out, text } = stream(undefined);
    const table = new LiveSweepTable(true, out);
    for (const t of [
      trial(0, "queued", 0),
      trial(0, "running", 0),
      trial(0, "running", 100),
      trial(0, "succeeded", 200, 0.9412),
    ])
      table.update(t);
    const lines = text().trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      "#0    succeeded 200/200     94.12 %   batchSize=128 optimizer=adamw adamwLearningRate=0.000827 activation=relu",
    );
    expect(text()).not.toContain(ESC);
  });

  it("on an 80-column terminal redraws the training trials in place, each cut to fit, and keeps ended ones", () => {
    const { out, text } = stream({ columns: 80, rows: 24 });
    const table = new LiveSweepTable(true, out);
    table.update(trial(0, "running", 50));
    table.update(trial(1, "queued", 0));
    table.update(trial(0, "running", 150));
    table.update(trial(0, "succeeded", 200, 0.95));
    const written = text();
    // Each redraw moves up over the rows it drew before (1, then 2, then 2) and clears below.
    expect([...written.matchAll(REDRAW)].map((m) => Number(m[1]))).toEqual([1, 2, 2]);
    const redrawn = written.split("\n").filter((l) => !l.includes("succeeded"));
    for (const line of redrawn) expect(line.replace(REDRAW, "").length).toBeLessThanOrEqual(79);
    expect(written).toContain("#0    running   150/200");
    // The ended trial is written once, in full, above the trial still queued.
    const last = written.slice(written.lastIndexOf(`${ESC}[0J`) + 4).split("\n");
    expect(last[0]).toMatch(/^#0 +succeeded 200\/200 +95\.00 % +.*activation=relu$/);
    expect(last[1]).toMatch(/^#1 +queued +0\/200 .*…$/);
  });

  it("shows no more training trials than the terminal has rows", () => {
    const { out, text } = stream({ columns: 120, rows: 6 });
    const table = new LiveSweepTable(false, out);
    for (let i = 0; i < 10; i++) table.update(trial(i, "queued", 0));
    const last = text().slice(text().lastIndexOf(`${ESC}[0J`) + 4);
    expect(last.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^#0 /),
      expect.stringMatching(/^#1 /),
      expect.stringMatching(/^#2 /),
      "… and 7 more",
    ]);
  });
});
