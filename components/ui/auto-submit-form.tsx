"use client";
// A GET filter form that applies itself: selects and dates on change, text after a pause in
// typing (debounced), by replacing the URL's query (the page is the source of truth; the URL can
// be shared). Paging cursors are dropped: a new filter starts at the first page. Without
// JavaScript it is an ordinary GET form (Enter submits).
import * as React from "react";
import { usePathname, useRouter } from "next/navigation";

const DEBOUNCE_MS = 400;
const DROP = new Set(["after", "before", "cursor", "page"]);

export function queryOfForm(form: HTMLFormElement): string {
  const sp = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (typeof v === "string" && v.trim() !== "" && !DROP.has(k)) sp.append(k, v.trim());
  return sp.toString();
}

export function AutoSubmitForm({ children, ...props }: Omit<React.FormHTMLAttributes<HTMLFormElement>, "onChange" | "onSubmit" | "method">) {
  const router = useRouter();
  const pathname = usePathname();
  const timer = React.useRef<ReturnType<typeof setTimeout> | null>(null);
  const [pending, start] = React.useTransition();

  const apply = React.useCallback(
    (form: HTMLFormElement) => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      const q = queryOfForm(form);
      start(() => router.replace(q ? `${pathname}?${q}` : pathname, { scroll: false }));
    },
    [router, pathname],
  );
  React.useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), []);

  return (
    <form
      {...props}
      method="get"
      aria-busy={pending || undefined}
      onSubmit={(e) => {
        e.preventDefault();
        apply(e.currentTarget);
      }}
      onChange={(e) => {
        const form = e.currentTarget;
        const el = e.target as unknown as HTMLInputElement;
        if (el.tagName === "INPUT" && (el.type === "text" || el.type === "search" || el.type === "email")) {
          if (timer.current) clearTimeout(timer.current);
          timer.current = setTimeout(() => apply(form), DEBOUNCE_MS);
        } else apply(form);
      }}
    >
      {children}
    </form>
  );
}
