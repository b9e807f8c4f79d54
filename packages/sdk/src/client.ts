import ky, { type KyInstance, type Options as KyOptions, type ResponsePromise } from "ky";
import { toApiError } from "./errors.ts";
import { type EventsOptions, followRunEvents, type SequencedRunEvent } from "./events.ts";
import type { components, operations } from "./generated/schema.ts";
import { followSweepEvents, type SweepEventsOptions } from "./sweep-events.ts";
import { toTransportError } from "./transport-errors.ts";
import { SDK_VERSION } from "./version.ts";
import type { SweepEvent, SweepExport, SweepImportResult } from "./wire-types.ts";

type Schemas = components["schemas"];
export type Run = Schemas["Run"];
export type RunCreate = Schemas["RunCreate"];
/** What a request may send: every field optional (defaults apply). */
export type RunConfig = Schemas["RunConfig"];
/** What a run carries: the config after defaults, every field present. */
export type ResolvedRunConfig = Schemas["ResolvedRunConfig"];
export type RunList = Schemas["RunList"];
export type RunMetrics = Schemas["RunMetrics"];
export type MetricPoint = RunMetrics["points"][number];
export type Evaluation = Schemas["Evaluation"];
export type TfjsModel = Schemas["TfjsModel"];
export type PredictRequest = Schemas["PredictRequest"];
export type Predictions = Schemas["Predictions"];
export type Status = Schemas["Status"];
export type Sweep = Schemas["Sweep"];
export type SweepCreate = Schemas["SweepCreate"];
export type SweepSummary = Schemas["SweepSummary"];
export type SweepList = Schemas["SweepList"];
export type SweepTrial = Schemas["SweepTrial"];
export type SweepLeaderboardPage = Schemas["SweepLeaderboardPage"];
export type SweepTrialsPage = Schemas["SweepTrialsPage"];
export type LeaderboardEntry = Schemas["LeaderboardEntry"];
export type SweepQuery = NonNullable<operations["getSweep"]["parameters"]["query"]>;
export type SweepPageQuery = NonNullable<operations["getSweepLeaderboard"]["parameters"]["query"]>;
export type SweepBudget = Schemas["SweepBudget"];
export type SweepResume = Schemas["SweepResume"];
export type SweepExtend = Schemas["SweepExtend"];
export type SweepPlotKind = operations["getSweepPlot"]["parameters"]["path"]["kind"];
export type RunListQuery = NonNullable<operations["listRuns"]["parameters"]["query"]>;
export type RunMetricsQuery = NonNullable<operations["getRunMetrics"]["parameters"]["query"]>;
export type SweepListQuery = NonNullable<operations["listSweeps"]["parameters"]["query"]> & {
  cursor?: string;
};

/** A bearer token, or a function that returns the current one (called before every request: rotating tokens). */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface ClientOptions {
  /** The service, e.g. http://gpu-host:8787. */
  baseUrl: string;
  /** Bearer token, when the service has SWEEPLAB_TOKEN set: a string, or a (possibly async) function. */
  token?: TokenSource;
  /** Another fetch (a proxy, or an app's own `fetch` in tests). */
  fetch?: typeof fetch;
  /** Per-request timeout in milliseconds; default 30 s. Event streams are not timed out. */
  timeoutMs?: number;
  /** Retries for idempotent requests on network errors and 5xx/429; default 2. */
  retry?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Sent as User-Agent (outside browsers) before the SDK's own `sweeplab-sdk/VERSION`, e.g. `my-service/2.1`. */
  userAgent?: string;
}

/** Options every call takes. */
export interface RequestOptions {
  /** Aborts the request; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** This request's timeout in milliseconds (the client's `timeoutMs` otherwise). */
  timeoutMs?: number;
  /** Headers for this request, over the client's. */
  headers?: Record<string, string>;
}

export interface WaitOptions extends EventsOptions {
  /** Called with each event while waiting. */
  onEvent?: (event: SequencedRunEvent) => void;
}

export interface SweepWaitOptions extends SweepEventsOptions {
  /** Called with each event while waiting. */
  onEvent?: (event: SweepEvent) => void;
}

type Query = Record<string, string | number | boolean | null | undefined>;
const definedOnly = (query: Query) =>
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null)) as Record<
    string,
    string | number | boolean
  >;

/** A typed client for every sweeplab endpoint; request and response types come from the OpenAPI document. */
export function createClient(options: ClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryLimit = options.retry ?? 2;
  const inBrowser = typeof (globalThis as { document?: unknown }).document !== "undefined";
  const userAgent = [options.userAgent, `sweeplab-sdk/${SDK_VERSION}`].filter(Boolean).join(" ");
  const http: KyInstance = ky.create({
    prefixUrl: baseUrl,
    timeout: timeoutMs,
    retry: { limit: retryLimit },
    throwHttpErrors: true,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: { ...options.headers, ...(inBrowser ? {} : { "User-Agent": userAgent }) },
    hooks: {
      beforeRequest: [
        async (request) => {
          const token = typeof options.token === "function" ? await options.token() : options.token;
          if (token) request.headers.set("Authorization", `Bearer ${token}`);
        },
      ],
      beforeError: [
        async (error) => {
          throw await toApiError(error.response, `${error.request.method} ${error.request.url}`);
        },
      ],
    },
  });

  /** One request: the client's defaults under this call's options; no answer becomes a TransportError. */
  async function send<T>(
    url: string,
    init: KyOptions,
    opts: RequestOptions,
    read: (response: ResponsePromise) => Promise<T>,
  ): Promise<T> {
    const timeout = opts.timeoutMs ?? timeoutMs;
    try {
      return await read(
        http(url, {
          ...init,
          timeout,
          ...(opts.signal ? { signal: opts.signal } : {}),
          headers: { ...(init.headers as Record<string, string> | undefined), ...opts.headers },
        }),
      );
    } catch (error) {
      throw toTransportError(error, `${baseUrl}/${url}`, timeout);
    }
  }
  const json = <T>(url: string, init: KyOptions = {}, opts: RequestOptions = {}) =>
    send(url, init, opts, (r) => r.json<T>());
  const bytes = (url: string, init: KyOptions = {}, opts: RequestOptions = {}) =>
    send(url, init, opts, async (r) => new Uint8Array(await r.arrayBuffer()));
  const streams = { http, baseUrl };
  const path = (id: string, rest = "") => `v1/runs/${encodeURIComponent(id)}${rest}`;

  const runs = {
    /** Queues a run. With an idempotency key, repeating the call returns the same run (and it may be retried). */
    create: (body: RunCreate, opts: RequestOptions & { idempotencyKey?: string } = {}) =>
      json<Run>(
        "v1/runs",
        {
          method: "post",
          json: body,
          headers: opts.idempotencyKey ? { "Idempotency-Key": opts.idempotencyKey } : {},
          // A POST is retried only when an idempotency key makes it safe.
          retry: opts.idempotencyKey ? { limit: retryLimit, methods: ["post"] } : 0,
        },
        opts,
      ),
    /** One page of runs, newest first unless `sort` says otherwise; `nextCursor` fetches the next. */
    list: (query: RunListQuery = {}, opts: RequestOptions = {}) =>
      json<RunList>("v1/runs", { searchParams: definedOnly(query) }, opts),
    /** Every run matching the query, page after page. */
    async *listAll(query: Omit<RunListQuery, "cursor"> = {}, opts: RequestOptions = {}): AsyncGenerator<Run> {
      let cursor: string | undefined;
      do {
        const page = await runs.list({ ...query, ...(cursor ? { cursor } : {}) }, opts);
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    get: (id: string, opts: RequestOptions = {}) => json<Run>(path(id), {}, opts),
    cancel: (id: string, opts: RequestOptions = {}) =>
      json<Run>(path(id, "/cancel"), { method: "post" }, opts),
    delete: async (id: string, opts: RequestOptions = {}) => {
      await send(path(id), { method: "delete" }, opts, async (r) => void (await r));
    },
    /** One page of the run's logged points (after `afterStep`); `nextAfterStep` fetches the next. */
    metrics: (id: string, query: RunMetricsQuery = {}, opts: RequestOptions = {}) =>
      json<RunMetrics>(path(id, "/metrics"), { searchParams: definedOnly(query) }, opts),
    /** Every logged point of the run, page after page. */
    async *metricsAll(
      id: string,
      query: Omit<RunMetricsQuery, "afterStep"> = {},
      opts: RequestOptions = {},
    ): AsyncGenerator<MetricPoint> {
      let afterStep: number | undefined;
      for (;;) {
        const page = await runs.metrics(
          id,
          { ...query, ...(afterStep === undefined ? {} : { afterStep }) },
          opts,
        );
        yield* page.points;
        if (page.nextAfterStep === null || page.nextAfterStep === undefined) return;
        afterStep = page.nextAfterStep;
      }
    },
    evaluation: (id: string, opts: RequestOptions = {}) =>
      json<Evaluation>(path(id, "/evaluation"), {}, opts),
    curves: (id: string, format: "svg" | "png" = "svg", opts: RequestOptions = {}) =>
      bytes(path(id, `/curves.${format}`), {}, opts),
    /** The TensorFlow.js model.json; its weights come from `modelWeights` (or `tf.loadLayersModel(url)`). */
    model: (id: string, opts: RequestOptions = {}) => json<TfjsModel>(path(id, "/model"), {}, opts),
    /** The model's weights.bin: float32 little-endian, in the manifest's order. */
    modelWeights: (id: string, opts: RequestOptions = {}) => bytes(path(id, "/model/weights.bin"), {}, opts),
    predict: (id: string, body: PredictRequest, opts: RequestOptions = {}) =>
      json<Predictions>(path(id, "/predict"), { method: "post", json: body }, opts),
    /** The run's events, replayed then live; reconnects with Last-Event-ID, each event checked by the contract. */
    events: (id: string, opts: EventsOptions = {}) => followRunEvents(streams, id, opts),
    /** Resolves with the run once it has ended (succeeded, failed, canceled, diverged or pruned). */
    async wait(id: string, opts: WaitOptions = {}): Promise<Run> {
      for await (const event of followRunEvents(streams, id, opts)) opts.onEvent?.(event);
      return runs.get(id, opts);
    },
  };

  const sweepPath = (id: string, rest = "") => `v1/sweeps/${encodeURIComponent(id)}${rest}`;
  const sweeps = {
    /** Starts a sweep: trials are proposed, trained `parallelism` at a time, ranked by the metric. */
    create: (body: SweepCreate, opts: RequestOptions = {}) =>
      json<Sweep>("v1/sweeps", { method: "post", json: body, retry: 0 }, opts),
    /** Sweeps, newest first (one page: `nextCursor`, when the service pages, fetches the next). */
    list: (query: SweepListQuery = {}, opts: RequestOptions = {}) =>
      json<SweepList & { nextCursor?: string | null }>(
        "v1/sweeps",
        { searchParams: definedOnly(query) },
        opts,
      ),
    /** Every sweep, page after page. */
    async *listAll(
      query: Omit<SweepListQuery, "cursor"> = {},
      opts: RequestOptions = {},
    ): AsyncGenerator<SweepSummary> {
      let cursor: string | undefined;
      do {
        const page = await sweeps.list({ ...query, ...(cursor ? { cursor } : {}) }, opts);
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    /**
     * The sweep with its leaderboard, best config, importance and every trial's run (`leaderboardLimit` and
     * `trialRunsLimit` cap the two lists of a large sweep; `leaderboard` and `trials` page through them).
     */
    get: (id: string, opts: RequestOptions & SweepQuery = {}) => {
      const { leaderboardLimit, trialRunsLimit, ...rest } = opts;
      return json<Sweep>(
        sweepPath(id),
        { searchParams: definedOnly({ leaderboardLimit, trialRunsLimit }) },
        rest,
      );
    },
    /** A page of the leaderboard, best first, with its entries' trial runs. */
    leaderboard: (id: string, query: SweepPageQuery = {}, opts: RequestOptions = {}) =>
      json<SweepLeaderboardPage>(sweepPath(id, "/leaderboard"), { searchParams: definedOnly(query) }, opts),
    /** A page of the trial runs, by trial and repeat index. */
    trials: (id: string, query: SweepPageQuery = {}, opts: RequestOptions = {}) =>
      json<SweepTrialsPage>(sweepPath(id, "/trials"), { searchParams: definedOnly(query) }, opts),
    cancel: (id: string, opts: RequestOptions = {}) =>
      json<Sweep>(sweepPath(id, "/cancel"), { method: "post" }, opts),
    /** Runs an ended sweep's canceled and never-proposed trials (finished ones never again); `budget` replaces its own. */
    resume: (id: string, body: SweepResume = {}, opts: RequestOptions = {}) =>
      json<Sweep>(sweepPath(id, "/resume"), { method: "post", json: body, retry: 0 }, opts),
    /** Re-runs its failed and diverged trials as new attempts (same config and seed; the old runs kept). */
    retry: (id: string, opts: RequestOptions = {}) =>
      json<Sweep>(sweepPath(id, "/retry"), { method: "post", retry: 0 }, opts),
    /** Adds trials to a running or finished sweep; the sampler continues from its history. */
    extend: (id: string, body: SweepExtend, opts: RequestOptions = {}) =>
      json<Sweep>(sweepPath(id, "/extend"), { method: "post", json: body, retry: 0 }, opts),
    plot: (id: string, kind: SweepPlotKind, format: "svg" | "png" = "svg", opts: RequestOptions = {}) =>
      bytes(sweepPath(id, `/plots/${kind}`), { searchParams: { format } }, opts),
    /** The sweep as one `sweeplab.sweep-export` file: spec, trials, their runs' metrics and events; no weights. */
    export: (id: string, opts: RequestOptions = {}) => json<SweepExport>(sweepPath(id, "/export"), {}, opts),
    /**
     * Imports an export file (the parsed object, or its JSON text as read from disk) as a new, read-only sweep on
     * this service; a file the service refuses rejects with an ApiError (400, or 413 when too large).
     */
    import: (file: SweepExport | string, opts: RequestOptions = {}) =>
      json<SweepImportResult>(
        "v1/sweeps/import",
        typeof file === "string"
          ? { method: "post", body: file, headers: { "Content-Type": "application/json" }, retry: 0 }
          : { method: "post", json: file, retry: 0 },
        opts,
      ),
    /** The sweep's self-contained HTML report (the leaderboard and every plot; it opens offline). */
    report: (id: string, opts: RequestOptions = {}) =>
      send(sweepPath(id, "/report.html"), {}, opts, (r) => r.text()),
    /**
     * Trial updates as they happen, ending with the sweep's own `sweep` event; each checked by the contract. A
     * broken stream is reopened and trials already reported in the same state are skipped.
     */
    events: (id: string, opts: SweepEventsOptions = {}) => followSweepEvents(streams, id, opts),
    /** Resolves with the sweep once it has ended. */
    async wait(id: string, opts: SweepWaitOptions = {}): Promise<Sweep> {
      for await (const event of followSweepEvents(streams, id, opts)) opts.onEvent?.(event);
      return sweeps.get(id, opts);
    },
  };

  return {
    runs,
    sweeps,
    status: (opts: RequestOptions = {}) => json<Status>("v1/status", {}, opts),
    health: (opts: RequestOptions = {}) => json<{ ok: true }>("healthz", {}, opts),
  };
}

export type SweeplabClient = ReturnType<typeof createClient>;
