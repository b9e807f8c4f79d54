import type { App, AppDeps } from "../../app-types.ts";
import { registerRunCrudRoutes } from "./crud.ts";
import { registerRunEventRoutes } from "./events.ts";
import { registerRunHistoryRoutes } from "./history.ts";
import { registerRunModelRoutes } from "./model.ts";

export function registerRunRoutes(app: App, deps: AppDeps) {
  registerRunCrudRoutes(app, deps);
  registerRunEventRoutes(app, deps);
  registerRunHistoryRoutes(app, deps);
  registerRunModelRoutes(app, deps);
}
