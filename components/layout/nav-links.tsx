"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { cn } from "@/lib/cn";
import type { NavItem } from "@/lib/auth/navigation";

export function NavLinks({ items }: { items: NavItem[] }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const groups: NavItem["group"][] = ["portal", "admin"];
  // The most specific entry wins: /machines/extensions is not also "Machines".
  const current = items
    .filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`))
    .reduce<string | null>((best, i) => (best === null || i.href.length > best.length ? i.href : best), null);
  return (
    <>
      {groups.map((g) => {
        const list = items.filter((i) => i.group === g);
        if (!list.length) return null;
        return (
          <div key={g} className="mb-4">
            <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{t(`group.${g}`)}</p>
            <ul>
              {list.map((i) => {
                const active = i.href === current;
                return (
                  <li key={i.href}>
                    <Link
                      href={i.href}
                      aria-current={active ? "page" : undefined}
                      className={cn(
                        "block rounded-md px-3 py-2 text-sm font-medium",
                        active ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100",
                      )}
                    >
                      {t(i.key)}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </>
  );
}
