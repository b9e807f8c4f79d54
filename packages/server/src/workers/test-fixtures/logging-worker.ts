// A stand-in for a training process in orphan.test.ts: the worker entry's log destination and orphan guard (with
// a polite stop that never ends, the worst case), then logging 16 KB lines as fast as it can ("flood"), or logging
// and then blocking its main thread for good ("blocked"), as a synchronous retry loop would.
import { createLogger } from "../../log.ts";
import { createDroppingDestination } from "../log-destination.ts";
import { installOrphanGuard } from "../orphan-guard.ts";

const log = createLogger("orphan-fixture", "info", createDroppingDestination(2));
installOrphanGuard({ graceMs: 1500, onOrphaned: () => {} });
const line = "x".repeat(16_384);
process.send?.({ ready: true });
if (process.argv[2] === "blocked") {
  for (let i = 0; i < 1000; i++) log.info({ line });
  for (;;) {}
}
setInterval(() => {
  for (let i = 0; i < 50; i++) log.info({ line });
}, 5);
