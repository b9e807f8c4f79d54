/** The methods registered for a path other than `method`, from the app's routes (`/v1/runs/:id` patterns). */
export function allowedMethods(routes: readonly { method: string; path: string }[], path: string): string[] {
  const allowed = new Set<string>();
  for (const route of routes) {
    // Middleware and catch-alls (the dashboard's files) answer every path: they say nothing about this one.
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const pattern = new RegExp(
      `^${route.path
        .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
        .replace(/\/:[^/]+/g, "/[^/]+")
        .replace(/\*/g, ".*")}$`,
    );
    if (pattern.test(path)) allowed.add(route.method);
  }
  if (allowed.has("GET")) allowed.add("HEAD");
  return [...allowed].sort();
}
