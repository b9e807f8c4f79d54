// The browser side of the dashboard tests: Debian's Chromium driven by playwright-core, every request that would
// leave the machine refused and recorded, screenshots under test/screenshots.
/// <reference lib="dom" />
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = join(import.meta.dirname, "../screenshots");
const DASHBOARD_INDEX = join(import.meta.dirname, "../../packages/server/dist/dashboard/index.html");

/** Builds the dashboard if `pnpm install` (root postinstall) did not, and starts Chromium. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(DASHBOARD_INDEX))
    execFileSync("pnpm", ["--filter", "@sweeplab/dashboard", "build"], { stdio: "inherit" });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
}

/** What the pages asked for: requests served by the service, and those refused for going anywhere else. */
export interface NetworkLog {
  served: number;
  foreign: string[];
}

/** Lets a context reach only the service at `serviceUrl`; everything else is aborted and written down. */
export async function guardNetwork(ctx: BrowserContext, serviceUrl: string, log: NetworkLog) {
  const host = new URL(serviceUrl).host;
  await ctx.route("**", (route) => {
    const url = new URL(route.request().url());
    if (url.host !== host) {
      log.foreign.push(url.href);
      return route.abort();
    }
    log.served++;
    return route.continue();
  });
}

/** Collects the warnings and errors a page logs (the 401s before login are expected, so left out). */
export function watchConsole(page: Page, problems: string[]) {
  page.on("console", (m) => {
    if ((m.type() === "error" || m.type() === "warning") && !m.text().includes("401"))
      problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
}

export const shoot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Logs in through the page's form with the service's token. */
export async function logIn(page: Page, url: string, token: string) {
  await page.goto(url);
  await page.getByRole("heading", { name: "Log in" }).waitFor();
  await page.getByLabel("Token").fill(token);
  await page.getByRole("button", { name: "Log in" }).click();
}

/**
 * Chromium on a 1280 x 900 light page of the dashboard at `url`, logged in with `token`: requests outside the
 * service refused and written to `network`, the page's warnings and errors collected in `consoleProblems`.
 */
export async function openDashboard(
  url: string,
  token: string,
  watch: { network: NetworkLog; consoleProblems: string[]; timeoutMs?: number },
): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  await guardNetwork(context, url, watch.network);
  const page = await context.newPage();
  page.setDefaultTimeout(watch.timeoutMs ?? 60_000);
  watchConsole(page, watch.consoleProblems);
  await logIn(page, url, token);
  return { browser, context, page };
}

/** Types one past a number field's maximum: the form must say so and refuse to submit. */
export async function expectMaximumEnforced(page: Page, field: string, maximum: number, submit: string) {
  expect(await page.getAttribute(`input[name="${field}"]`, "max")).toBe(String(maximum));
  await page.fill(`input[name="${field}"]`, String(maximum + 1));
  await page.getByText(`must be at most ${maximum}`).waitFor();
  expect(await page.getByRole("button", { name: submit }).isDisabled()).toBe(true);
}
