import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { logOut, useLoginRequired } from "./api/session.ts";
import { Layout } from "./components/layout.tsx";
import { LoginPage } from "./pages/login/login-page.tsx";
import { NewRunPage } from "./pages/new-run/new-run-page.tsx";
import { NewSweepPage } from "./pages/new-sweep/new-sweep-page.tsx";
import { RunsPage } from "./pages/runs/runs-page.tsx";
import { StatusPage } from "./pages/status/status-page.tsx";
import { SweepPage } from "./pages/sweep/sweep-page.tsx";
import { SweepsPage } from "./pages/sweeps/sweeps-page.tsx";
import { useLocation } from "./router.tsx";
import { routeOf } from "./routes.ts";

// The run and compare pages draw charts (uPlot, Observable Plot and its d3): loaded when first opened, they keep
// about 40 % of the code out of what every other page parses before it can draw.
const RunPage = lazy(() => import("./pages/run/run-page.tsx").then((m) => ({ default: m.RunPage })));
const ComparePage = lazy(() =>
  import("./pages/compare/compare-page.tsx").then((m) => ({ default: m.ComparePage })),
);

function Page() {
  const { path, search } = useLocation();
  const route = routeOf(path, search);
  switch (route.page) {
    case "runs":
      return <RunsPage key={route.sweepId} sweepId={route.sweepId} />;
    case "new-run":
      return <NewRunPage />;
    case "run":
      return <RunPage id={route.id} />;
    case "compare":
      return <ComparePage ids={route.ids} />;
    case "status":
      return <StatusPage />;
    case "sweeps":
      return <SweepsPage />;
    case "new-sweep":
      return <NewSweepPage />;
    case "sweep":
      return <SweepPage id={route.id} />;
    case "not-found":
      return (
        <section>
          <h1>Not found</h1>
          <p>No page at {path}.</p>
        </section>
      );
  }
}

export function App() {
  const queryClient = useQueryClient();
  const needsLogin = useLoginRequired();
  const onLogout = async () => {
    await logOut();
    queryClient.clear();
    location.assign("/");
  };
  return (
    <Layout onLogout={onLogout}>
      {needsLogin ? (
        <LoginPage />
      ) : (
        <Suspense fallback={<p>Loading…</p>}>
          <Page />
        </Suspense>
      )}
    </Layout>
  );
}
