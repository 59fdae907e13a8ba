import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listMySessions } from "@/lib/users/list-my-sessions";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { ChangePasswordForm } from "@/components/users/change-password-form";
import { SignOutEverywhereButton } from "@/components/users/sign-out-everywhere-button";
import { changePasswordAction, signOutEverywhereAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("users.security");
  return { title: t("title") };
}

async function SecurityPage() {
  const { items } = await guardPage(async () => listMySessions(await pageContext()));
  const t = await getTranslations("users.security");
  const format = await getFormatter();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-6">
        <Card aria-labelledby="password-title">
          <CardHeader>
            <h2 id="password-title" className="text-base font-semibold">
              {t("passwordTitle")}
            </h2>
          </CardHeader>
          <CardBody>
            <ChangePasswordForm action={changePasswordAction} />
          </CardBody>
        </Card>
        <section aria-labelledby="sessions-title" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="sessions-title" className="text-base font-semibold">
              {t("sessionsTitle")}
            </h2>
            <SignOutEverywhereButton action={signOutEverywhereAction} />
          </div>
          <Table aria-label={t("sessionsLabel")}>
            <thead>
              <tr>
                <Th>{t("device")}</Th>
                <Th>{t("address")}</Th>
                <Th>{t("started")}</Th>
                <Th>{t("lastSeen")}</Th>
                <Th>{t("expires")}</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {items.map((s) => (
                <tr key={s.id}>
                  <Td className="max-w-xs truncate" title={s.userAgent}>
                    {s.userAgent || t("unknownDevice")} {s.current ? <Badge tone="indigo">{t("current")}</Badge> : null}
                  </Td>
                  <Td>{s.ipAddress ?? "—"}</Td>
                  <Td>{format.dateTime(s.createdAt, "long")}</Td>
                  <Td>{format.dateTime(s.lastSeenAt, "long")}</Td>
                  <Td>{format.dateTime(s.expiresAt, "long")}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      </div>
    </>
  );
}

export default withMessages("all", SecurityPage);
