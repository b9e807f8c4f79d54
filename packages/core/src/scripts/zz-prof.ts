import { SeededRandom } from "../data/random.ts";
import { paretoFront } from "../sweep/pareto.ts";
import { buildParetoFront } from "../sweep/pareto-configs.ts";

const random = new SeededRandom(42);
const trials: any[] = [];
for (let c = 0; c < 10000; c++) {
  const width = 16 + random.int(1009);
  const depth = 1 + random.int(4);
  const lr = Math.exp(random.uniform(Math.log(1e-4), Math.log(3e-2)));
  const accuracy = 0.99 - 0.3 / Math.sqrt(width * depth) - 0.03 * Math.log10(lr / 3e-3) ** 2;
  trials.push({
    id: c,
    params: { width, depth, lr },
    results: {
      validationAccuracy: accuracy + 0.0015 * (random.next() - 0.5),
      msPerStep: 1 + (width * depth) / 200 + 0.2 * random.next(),
    },
  });
}
const obj = [
  { metric: "validationAccuracy", direction: "maximize" },
  { metric: "msPerStep", direction: "minimize" },
] as any;
const configs = buildParetoFront(trials, obj);
const points = configs.map((c) => ({
  means: c.means as number[],
  standardErrors: c.standardErrors as number[],
}));
const r: string[] = [];
for (let i = 0; i < 10; i++) {
  let t = performance.now();
  paretoFront(points, ["maximize", "minimize"]);
  const b = performance.now() - t;
  t = performance.now();
  buildParetoFront(trials, obj);
  const c = performance.now() - t;
  r.push(b.toFixed(0) + "/" + c.toFixed(0));
}
console.log(r.join(" "));
