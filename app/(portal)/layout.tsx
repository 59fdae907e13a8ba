import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/session";
import { navItems } from "@/lib/auth/navigation";
import { NavLinks } from "@/components/layout/nav-links";
import { LocaleSwitcher } from "@/components/layout/locale-switcher";
import { signOutAction } from "@/components/layout/sign-out-action";
import { HeaderSlots } from "@/components/layout/header-slots";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  const t = await getTranslations("common");
  const items = navItems(actor);
  return (
    <div className="min-h-screen md:flex">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        {t("skipToContent")}
      </a>
      <aside className="border-b border-slate-200 bg-white md:sticky md:top-0 md:h-screen md:w-60 md:shrink-0 md:border-b-0 md:border-r">
        <div className="flex items-center justify-between px-4 py-4">
          <Link href="/dashboard" className="text-xl font-bold tracking-tight text-indigo-700">
            Orquestra
          </Link>
        </div>
        <details className="group md:hidden px-2 pb-2">
          <summary className="cursor-pointer list-none rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
            {t("menu")}
          </summary>
          <nav aria-label={t("mainNavigation")} className="pt-2">
            <NavLinks items={items} />
          </nav>
        </details>
        <nav aria-label={t("mainNavigation")} className="hidden px-2 md:block">
          <NavLinks items={items} />
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex flex-wrap items-center justify-end gap-3 border-b border-slate-200 bg-white px-4 py-2">
          <HeaderSlots />
          <LocaleSwitcher />
          <span className="text-sm text-slate-700" data-testid="current-user">
            {actor.name} <span className="text-slate-500">({actor.email})</span>
          </span>
          <form action={signOutAction}>
            <button type="submit" className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
              {t("signOut")}
            </button>
          </form>
        </header>
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
