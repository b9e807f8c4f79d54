import { Worker } from "node:worker_threads";

/**
 * Runs on its own thread, with its own event loop: it notices the parent's death by `process.ppid` changing (the
 * orphan is adopted by init or a subreaper) and kills the process `graceMs` later, whatever the main thread is
 * doing, even stuck in a synchronous loop where no timer or signal handler of its own can run.
 */
const WATCHDOG = `
const { workerData } = require("node:worker_threads");
let armed = false;
const arm = () => {
  armed = true;
  setTimeout(() => process.kill(process.pid, "SIGKILL"), workerData.graceMs);
};
if (workerData.orphaned) arm();
setInterval(() => {
  if (!armed && process.ppid !== workerData.ppid) arm();
}, workerData.pollMs);
`;

/**
 * Guards a supervised process against outliving its supervisor. Its IPC channel closing ('disconnect') calls
 * `onOrphaned` on the main thread, for a polite stop (runs handed back); a watchdog thread kills the process
 * `graceMs` after the supervisor's death in any case. Does nothing in a process started without IPC.
 */
export function installOrphanGuard(options: {
  graceMs: number;
  onOrphaned: () => void;
  pollMs?: number;
}): void {
  if (process.send === undefined) return;
  process.on("disconnect", options.onOrphaned);
  const watchdog = new Worker(WATCHDOG, {
    eval: true,
    workerData: {
      ppid: process.ppid,
      orphaned: !process.connected,
      graceMs: options.graceMs,
      pollMs: options.pollMs ?? 250,
    },
    // The watchdog needs no log stream of its own: nothing it could print would be read.
    stdout: true,
    stderr: true,
  });
  watchdog.unref();
  if (!process.connected) options.onOrphaned();
}
