import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { findInvitationByLink } from "@/lib/users/accept-invitation";
import { LocaleSwitcher } from "@/components/layout/locale-switcher";
import { AcceptInvitationForm } from "./accept-form";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("users.invite");
  return { title: t("title"), referrer: "no-referrer" };
}

/** Where an invitation link lands: the invitee chooses their password (once). */
async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitationByLink(token);
  const t = await getTranslations("users.invite");
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <p className="text-2xl font-bold tracking-tight text-indigo-700">Orquestra</p>
          <h1 className="mt-2 text-lg font-semibold text-slate-900">{t("title")}</h1>
          {invitation.ok ? <p className="mt-1 text-sm text-slate-600">{t("welcome", { name: invitation.name })}</p> : null}
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          {invitation.ok ? (
            <AcceptInvitationForm token={token} email={invitation.email} />
          ) : (
            <div className="space-y-4 text-sm text-slate-700">
              <p role="alert">{t("expired")}</p>
              <Link href="/login" className="font-medium text-indigo-700 underline">
                {t("goToSignIn")}
              </Link>
            </div>
          )}
        </div>
        <div className="mt-4 flex justify-center">
          <LocaleSwitcher />
        </div>
      </div>
    </main>
  );
}

export default withMessages("all", InvitationPage);
