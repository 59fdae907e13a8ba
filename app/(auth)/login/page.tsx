import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/session";
import { LocaleSwitcher } from "@/components/layout/locale-switcher";
import { LoginForm } from "./login-form";
import { safeCallbackPath } from "@/lib/auth/redirect";
import { signInOptions } from "@/lib/auth/oidc-config";
import { Button } from "@/components/ui/button";
import { signInWithSsoAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("auth");
  return { title: t("signIn") };
}

async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string | string[] }> }) {
  if (await currentActor()) redirect("/dashboard");
  const { callbackUrl } = await searchParams;
  const t = await getTranslations("auth");
  const options = signInOptions();
  const callback = safeCallbackPath(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-bold tracking-tight text-indigo-700">Orquestra</p>
          <h1 className="mt-2 text-lg font-semibold text-slate-900">{t("title")}</h1>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          {options.sso ? (
            <form action={signInWithSsoAction}>
              <input type="hidden" name="callbackUrl" value={callback} />
              <Button type="submit" className="w-full">
                {t("sso", { name: options.sso.name })}
              </Button>
            </form>
          ) : null}
          {options.sso && options.localLogin !== "off" ? (
            <p className="my-4 text-center text-xs uppercase tracking-wide text-slate-500">{options.localLogin === "admins" ? t("orAdmins") : t("or")}</p>
          ) : null}
          {options.localLogin !== "off" || !options.sso ? <LoginForm callbackUrl={callback} /> : null}
        </div>
        <div className="mt-4 flex justify-center">
          <LocaleSwitcher />
        </div>
      </div>
    </main>
  );
}

export default withMessages(["auth"], LoginPage);
