// The dashboard's pages by path, matched in this order (`/sweeps/new` before `/sweeps/:id`). Without React: the
// app draws the page a path names (app.tsx), and the entry module starts that page's first reads before the app's
// code has loaded (first-reads.ts).

export type Route =
  | { page: "runs"; sweepId: string | undefined }
  | { page: "new-run" }
  | { page: "run"; id: string }
  | { page: "compare"; ids: string[] }
  | { page: "status" }
  | { page: "sweeps" }
  | { page: "new-sweep" }
  | { page: "sweep"; id: string }
  | { page: "not-found" };

/** Matches `/runs/:id`-style patterns; returns the named parts or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = got[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

/** The page at a path and query string. */
export function routeOf(path: string, search: URLSearchParams): Route {
  if (path === "/" || path === "/runs") return { page: "runs", sweepId: search.get("sweep") ?? undefined };
  if (path === "/runs/new") return { page: "new-run" };
  const run = matchPath("/runs/:id", path);
  if (run) return { page: "run", id: run.id! };
  if (path === "/compare")
    return { page: "compare", ids: (search.get("ids") ?? "").split(",").filter(Boolean) };
  if (path === "/status") return { page: "status" };
  if (path === "/sweeps") return { page: "sweeps" };
  if (path === "/sweeps/new") return { page: "new-sweep" };
  const sweep = matchPath("/sweeps/:id", path);
  if (sweep) return { page: "sweep", id: sweep.id! };
  return { page: "not-found" };
}
