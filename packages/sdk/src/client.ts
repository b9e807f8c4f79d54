import ky, { type KyInstance, type Options as KyOptions } from "ky";
import { toApiError } from "./errors.ts";
import { type EventsOptions, followRunEvents, type SequencedRunEvent } from "./events.ts";
import type { components, operations } from "./generated/schema.ts";
import { followSweepEvents } from "./sweep-events.ts";

type Schemas = components["schemas"];
export type Run = Schemas["Run"];
export type RunCreate = Schemas["RunCreate"];
/** What a request may send: every field optional (defaults apply). */
export type RunConfig = Schemas["RunConfig"];
/** What a run carries: the config after defaults, every field present. */
export type ResolvedRunConfig = Schemas["ResolvedRunConfig"];
export type RunList = Schemas["RunList"];
export type RunMetrics = Schemas["RunMetrics"];
export type Evaluation = Schemas["Evaluation"];
export type TfjsModel = Schemas["TfjsModel"];
export type PredictRequest = Schemas["PredictRequest"];
export type Predictions = Schemas["Predictions"];
export type Status = Schemas["Status"];
export type Sweep = Schemas["Sweep"];
export type SweepCreate = Schemas["SweepCreate"];
export type SweepSummary = Schemas["SweepSummary"];
export type SweepTrial = Schemas["SweepTrial"];
export type SweepPlotKind = operations["getSweepPlot"]["parameters"]["path"]["kind"];
export type RunListQuery = NonNullable<operations["listRuns"]["parameters"]["query"]>;

export interface ClientOptions {
  /** The service, e.g. http://gpu-host:8787. */
  baseUrl: string;
  /** Bearer token, when the service has SWEEPLAB_TOKEN set. */
  token?: string;
  /** Another fetch (a proxy, or an app's own `fetch` in tests). */
  fetch?: typeof fetch;
  /** Per-request timeout; default 30 s. Event streams are not timed out. */
  timeoutMs?: number;
  /** Retries for idempotent requests on network errors and 5xx/429; default 2. */
  retry?: number;
}

export interface WaitOptions extends EventsOptions {
  /** Called with each event while waiting. */
  onEvent?: (event: SequencedRunEvent) => void;
}

/** A typed client for every sweeplab endpoint; request and response types come from the OpenAPI document. */
export function createClient(options: ClientOptions) {
  const http: KyInstance = ky.create({
    prefixUrl: options.baseUrl,
    timeout: options.timeoutMs ?? 30_000,
    retry: { limit: options.retry ?? 2 },
    throwHttpErrors: true,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
    hooks: {
      beforeError: [
        async (error) => {
          throw await toApiError(error.response);
        },
      ],
    },
  });
  const path = (id: string, rest = "") => `v1/runs/${encodeURIComponent(id)}${rest}`;
  const json = <T>(url: string, init?: KyOptions) => http(url, init).json<T>();

  const runs = {
    /** Queues a run. With an idempotency key, repeating the call returns the same run. */
    create: (body: RunCreate, opts: { idempotencyKey?: string } = {}) =>
      json<Run>("v1/runs", {
        method: "post",
        json: body,
        headers: opts.idempotencyKey ? { "Idempotency-Key": opts.idempotencyKey } : {},
        // A POST is retried only when an idempotency key makes it safe.
        retry: opts.idempotencyKey ? { limit: options.retry ?? 2, methods: ["post"] } : 0,
      }),
    list: (query: RunListQuery = {}) =>
      json<RunList>("v1/runs", {
        searchParams: Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<
          string,
          string | number
        >,
      }),
    /** Every run matching the query, page after page. */
    async *listAll(query: Omit<RunListQuery, "cursor"> = {}): AsyncGenerator<Run> {
      let cursor: string | undefined;
      do {
        const page = await runs.list({ ...query, ...(cursor ? { cursor } : {}) });
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    get: (id: string) => json<Run>(path(id)),
    cancel: (id: string) => json<Run>(path(id, "/cancel"), { method: "post" }),
    delete: async (id: string) => {
      await http.delete(path(id));
    },
    metrics: (id: string) => json<RunMetrics>(path(id, "/metrics")),
    evaluation: (id: string) => json<Evaluation>(path(id, "/evaluation")),
    curves: async (id: string, format: "svg" | "png" = "svg") =>
      new Uint8Array(await http.get(path(id, `/curves.${format}`)).arrayBuffer()),
    /** The TensorFlow.js model.json; its weights come from `modelWeights` (or `tf.loadLayersModel(url)`). */
    model: (id: string) => json<TfjsModel>(path(id, "/model")),
    /** The model's weights.bin: float32 little-endian, in the manifest's order. */
    modelWeights: async (id: string) =>
      new Uint8Array(await http.get(path(id, "/model/weights.bin")).arrayBuffer()),
    predict: (id: string, body: PredictRequest) =>
      json<Predictions>(path(id, "/predict"), { method: "post", json: body }),
    /** The run's events, replayed then live; reconnects with Last-Event-ID. */
    events: (id: string, opts: EventsOptions = {}) => followRunEvents(http, id, opts),
    /** Resolves with the run once it has ended (succeeded, failed, canceled, diverged or pruned). */
    async wait(id: string, opts: WaitOptions = {}): Promise<Run> {
      for await (const event of followRunEvents(http, id, opts)) opts.onEvent?.(event);
      return runs.get(id);
    },
  };

  const sweepPath = (id: string, rest = "") => `v1/sweeps/${encodeURIComponent(id)}${rest}`;
  const sweeps = {
    /** Starts a sweep: trials are proposed, trained `parallelism` at a time, ranked by the metric. */
    create: (body: SweepCreate) => json<Sweep>("v1/sweeps", { method: "post", json: body, retry: 0 }),
    list: (query: { limit?: number } = {}) =>
      json<{ items: SweepSummary[] }>("v1/sweeps", {
        searchParams: query.limit === undefined ? {} : { limit: query.limit },
      }),
    /** The sweep with its leaderboard, best config, importance and every trial's run. */
    get: (id: string) => json<Sweep>(sweepPath(id)),
    cancel: (id: string) => json<Sweep>(sweepPath(id, "/cancel"), { method: "post" }),
    plot: async (id: string, kind: SweepPlotKind, format: "svg" | "png" = "svg") =>
      new Uint8Array(
        await http.get(sweepPath(id, `/plots/${kind}`), { searchParams: { format } }).arrayBuffer(),
      ),
    /** Trial updates as they happen, ending with the sweep's own `sweep` event. */
    events: (id: string, opts: { signal?: AbortSignal } = {}) => followSweepEvents(http, id, opts),
    /** Resolves with the sweep once it has ended. */
    async wait(
      id: string,
      opts: { signal?: AbortSignal; onEvent?: (e: import("./sweep-events.ts").SweepEvent) => void } = {},
    ) {
      for await (const event of followSweepEvents(http, id, opts)) opts.onEvent?.(event);
      return sweeps.get(id);
    },
  };

  return {
    runs,
    sweeps,
    status: () => json<Status>("v1/status"),
    health: () => json<{ ok: true }>("healthz"),
  };
}

export type SweeplabClient = ReturnType<typeof createClient>;
