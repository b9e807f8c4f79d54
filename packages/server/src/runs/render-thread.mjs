// The plot renderer's thread (render.ts starts it): Vega-Lite specs to SVG, and SVG to PNG, away from the API's
// event loop, where drawing a 10,000-trial sweep's plot blocked every other request for up to a second.
// Plain JavaScript: it runs however the server was started (a thread does not inherit a loader registered in code).
import { getPriority, setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile } from "vega-lite";

// Drawing is background work: this thread yields the CPU to the API's requests and streams (and a browser on the
// same machine), before the worker processes' training (nice 19). Only on Linux, where a nice value is per
// thread; elsewhere it would be the whole process's.
if (process.platform === "linux") {
  try {
    setPriority(Math.max(getPriority(), 10));
  } catch {
    // Not ours to change (a container without the right): the thread draws at the process's priority.
  }
}

async function draw(job) {
  if (job.type === "png") {
    return {
      png: new Resvg(job.svg, { background: "white", fitTo: { mode: "zoom", value: 2 } }).render().asPng(),
    };
  }
  const view = new vega.View(vega.parse(compile(job.spec).spec), { renderer: "none" });
  try {
    return { svg: await view.toSVG() };
  } finally {
    view.finalize();
  }
}

parentPort.on("message", async (job) => {
  try {
    parentPort.postMessage({ id: job.id, ...(await draw(job)) });
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
