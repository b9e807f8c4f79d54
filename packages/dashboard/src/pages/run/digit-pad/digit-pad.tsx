import type { Predictions } from "@sweeplab/sdk";
import { useMutation } from "@tanstack/react-query";
import { type PointerEvent, useEffect, useRef } from "react";
import { client } from "../../../api/client.ts";
import { inkToMnist } from "./ink-to-mnist.ts";
import { ProbabilityBars } from "./probability-bars.tsx";

const PAD = 280;
const PEN = 20;

/** Draw a digit (mouse, pen or finger); it is downscaled to 28x28 like MNIST and classified by the run's model. */
export function DigitPad({ runId }: { runId: string }) {
  const pad = useRef<HTMLCanvasElement>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const predict = useMutation({
    mutationFn: (pixels: number[]) => client.runs.predict(runId, { images: [pixels] }),
  });

  useEffect(() => {
    const ctx = padContext(pad.current!);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = PEN;
    ctx.strokeStyle = "#000";
  }, []);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * PAD,
      y: ((event.clientY - rect.top) / rect.height) * PAD,
    };
  };
  const draw = (to: { x: number; y: number }) => {
    const ctx = padContext(pad.current!);
    const from = last.current ?? to;
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    last.current = to;
  };
  const classify = () => {
    const ctx = padContext(pad.current!);
    const { data } = ctx.getImageData(0, 0, PAD, PAD);
    const ink = new Float32Array(PAD * PAD);
    for (let i = 0; i < ink.length; i++) ink[i] = data[i * 4 + 3]! / 255;
    const pixels = inkToMnist(ink, PAD, PAD);
    showPreview(preview.current!, pixels);
    predict.mutate(pixels);
  };
  const clear = () => {
    padContext(pad.current!).clearRect(0, 0, PAD, PAD);
    padContext(preview.current!).clearRect(0, 0, 28, 28);
    predict.reset();
  };

  return (
    <div className="digit-pad">
      <div>
        <canvas
          ref={pad}
          width={PAD}
          height={PAD}
          className="pad"
          data-testid="digit-pad"
          aria-label="drawing pad: draw a digit with the mouse or a finger"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            last.current = null;
            draw(point(e));
          }}
          onPointerMove={(e) => {
            if (e.buttons & 1 || e.pointerType === "touch") {
              if (last.current) draw(point(e));
            }
          }}
          onPointerUp={() => {
            last.current = null;
          }}
        />
        <div className="actions">
          <button type="button" onClick={classify}>
            Classify
          </button>
          <button type="button" onClick={clear}>
            Clear
          </button>
        </div>
      </div>
      <div>
        <p className="muted">What the model sees (28×28):</p>
        <canvas ref={preview} width={28} height={28} className="preview" data-testid="digit-preview" />
      </div>
      <div className="probabilities">
        {predict.isError ? (
          <p role="alert" className="error">
            {(predict.error as Error).message}
          </p>
        ) : null}
        {predict.data ? (
          <Ranking predictions={predict.data} />
        ) : (
          <p className="muted">Draw a digit, then Classify.</p>
        )}
      </div>
    </div>
  );
}

function Ranking({ predictions }: { predictions: Predictions }) {
  const probabilities = predictions.predictions[0]?.probabilities ?? [];
  const ranked = probabilities.map((p, label) => ({ label, p })).sort((a, b) => b.p - a.p);
  return (
    <>
      <p>
        Predicted <strong data-testid="top-class">{ranked[0]?.label}</strong> (
        {((ranked[0]?.p ?? 0) * 100).toFixed(1)} %)
      </p>
      <ProbabilityBars probabilities={probabilities} />
    </>
  );
}

// Both canvases are read back (the pad after each drawing, the preview by tests and devtools): keep them on the CPU.
const padContext = (canvas: HTMLCanvasElement) => canvas.getContext("2d", { willReadFrequently: true })!;

function showPreview(canvas: HTMLCanvasElement, pixels: number[]) {
  const ctx = padContext(canvas);
  const image = ctx.createImageData(28, 28);
  pixels.forEach((v, i) => {
    image.data.set([v, v, v, 255], i * 4);
  });
  ctx.putImageData(image, 0, 0);
}
