import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { currentActor } from "@/lib/auth/session";
import { navItems } from "@/lib/auth/navigation";
import { NavLinks } from "@/components/layout/nav-links";
import { LocaleSwitcher } from "@/components/layout/locale-switcher";
import { MobileMenu } from "@/components/layout/mobile-menu";
import { signOutAction } from "@/components/layout/sign-out-action";
import { HeaderSlots } from "@/components/layout/header-slots";

const logoCls = "rounded text-xl font-bold tracking-tight text-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect("/login");
  const t = await getTranslations("common");
  const items = navItems(actor);
  const account = (
    <>
      <LocaleSwitcher />
      <span className="min-w-0 truncate text-sm text-slate-700" data-testid="current-user">
        {actor.name} <span className="text-slate-600">({actor.email})</span>
      </span>
      <form action={signOutAction}>
        <button
          type="submit"
          className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {t("signOut")}
        </button>
      </form>
    </>
  );
  return (
    <div className="min-h-screen md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow focus:outline-2 focus:outline-indigo-600"
      >
        {t("skipToContent")}
      </a>
      <aside className="hidden border-r border-slate-200 bg-white md:sticky md:top-0 md:block md:h-screen md:w-60 md:shrink-0 md:overflow-y-auto">
        <div className="px-4 py-4">
          <Link href="/dashboard" className={logoCls}>
            Orquestra
          </Link>
        </div>
        <nav aria-label={t("mainNavigation")} className="px-2 pb-4">
          <NavLinks items={items} />
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="relative flex min-h-14 items-center gap-2 border-b border-slate-200 bg-white px-4 py-2 md:justify-end md:gap-3">
          <Link href="/dashboard" className={`${logoCls} mr-auto md:hidden`}>
            Orquestra
          </Link>
          <HeaderSlots />
          <div className="hidden min-w-0 items-center gap-3 md:flex">{account}</div>
          <MobileMenu label={t("menu")}>
            <nav aria-label={t("mainNavigation")}>
              <NavLinks items={items} />
            </nav>
            <div className="flex flex-wrap items-center gap-3 border-t border-slate-200 px-3 pt-3">{account}</div>
          </MobileMenu>
        </header>
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
