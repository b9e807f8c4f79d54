// A supervisor for orphan.test.ts: forks one flooding and one blocked logging worker the way WorkerProcesses
// forks training processes (own process group, stderr a pipe, IPC), never reads their stderr, so the pipes fill
// up, prints their pids, and waits to be killed.
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const entry = join(dirname(fileURLToPath(import.meta.url)), "logging-worker.ts");
const children = ["flood", "blocked"].map((mode) =>
  fork(entry, [mode], {
    execArgv: ["--import", "tsx"],
    detached: true,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  }),
);
for (const child of children) child.stderr?.pause();
await Promise.all(children.map((child) => new Promise((resolve) => child.once("message", resolve))));
console.log(JSON.stringify(children.map((child) => child.pid)));
setInterval(() => {}, 1000);
