/** Scientific notation with a two-digit exponent, as Python prints it: 1.96e-05. */
export function scientific(value: number): string {
  return value
    .toExponential(2)
    .replace(/e([+-])(\d)$/, (_, sign: string, digit: string) => `e${sign}0${digit}`);
}

/** The reference scripts' summary line: `lr: 1.96e-05  loss: 0.04  acc: 98.60 %`. */
export function summaryLine(
  learningRate: number | undefined,
  loss: number | undefined,
  accuracy: number | null | undefined,
): string {
  const lr = learningRate === undefined ? "-" : scientific(learningRate);
  const l = loss === undefined ? "-" : loss.toFixed(2);
  const acc = accuracy === null || accuracy === undefined ? "-" : `${(accuracy * 100).toFixed(2)} %`;
  return `lr: ${lr}  loss: ${l}  acc: ${acc}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}
