// The entry: asks for the first reads of the page the tab opened on, then loads the app (boot.tsx). This chunk
// holds the API client and the query cache but not React: on a small machine the app's code takes a few hundred
// milliseconds to load and run, and the reads are under way meanwhile (the page finds them in the cache).
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { queryClient } from "./api/query-client.ts";
import { prefetchSweepPage } from "./pages/sweep/sweep-queries.ts";
import { routeOf } from "./routes.ts";

const route = routeOf(location.pathname, new URLSearchParams(location.search));
if (route.page === "sweep") prefetchSweepPage(queryClient, route.id);
void import("./boot.tsx");
