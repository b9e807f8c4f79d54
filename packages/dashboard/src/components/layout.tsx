import type { ReactNode } from "react";
import { Link, useLocation } from "../router.tsx";

const NAV = [
  {
    href: "/",
    label: "Runs",
    active: (p: string) => p === "/" || (p.startsWith("/runs") && p !== "/runs/new"),
  },
  { href: "/runs/new", label: "New run", active: (p: string) => p === "/runs/new" },
  { href: "/compare", label: "Compare", active: (p: string) => p === "/compare" },
  {
    href: "/sweeps",
    label: "Sweeps",
    active: (p: string) => p.startsWith("/sweeps") && p !== "/sweeps/new",
  },
  { href: "/sweeps/new", label: "New sweep", active: (p: string) => p === "/sweeps/new" },
  { href: "/status", label: "Status", active: (p: string) => p === "/status" },
];

export function Layout({ children, onLogout }: { children: ReactNode; onLogout: () => void }) {
  const { path } = useLocation();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link href="/" className="brand">
          sweeplab
        </Link>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <Link key={item.href} href={item.href} aria-current={item.active(path) ? "page" : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <button type="button" className="link-button" onClick={onLogout}>
          Log out
        </button>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
