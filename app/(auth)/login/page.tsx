import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { LocaleSwitcher } from "@/components/layout/locale-switcher";
import { LoginForm } from "./login-form";
import { safeCallbackPath } from "@/lib/auth/redirect";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("signIn") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  if (await currentActor()) redirect("/dashboard");
  const { callbackUrl } = await searchParams;
  const t = await getTranslations("auth");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-bold tracking-tight text-indigo-700">Orquestra</p>
          <h1 className="mt-2 text-lg font-semibold text-slate-900">{t("title")}</h1>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm callbackUrl={safeCallbackPath(callbackUrl)} />
        </div>
        <div className="mt-4 flex justify-center">
          <LocaleSwitcher />
        </div>
      </div>
    </main>
  );
}
