import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getIntegrationStatus } from "@/lib/integrations/get-integration-status";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { AllowedNetworksForm, TestEmailButton } from "@/components/webhooks/integration-forms";
import { sendTestEmailAction, updateWebhookSettingsAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("webhooks.integrations");
  return { title: t("title") };
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-700">{term}</dt>
      <dd className="break-all">{children}</dd>
    </>
  );
}

async function IntegrationsPage() {
  const s = await guardPage(async () => getIntegrationStatus(await pageContext()));
  const t = await getTranslations("webhooks.integrations");
  const dl = "grid gap-2 text-sm sm:grid-cols-[max-content_1fr]";
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-6">
        <Card aria-labelledby="int-webhooks">
          <CardHeader>
            <h2 id="int-webhooks" className="text-base font-semibold">
              {t("webhooks")}
            </h2>
          </CardHeader>
          <CardBody className="space-y-4">
            <p className="text-sm text-slate-700">{t("webhookStats", { subscriptions: s.webhooks.subscriptions, failed: s.webhooks.failedLastDay })}</p>
            <AllowedNetworksForm initial={s.webhooks.allowedNetworks} action={updateWebhookSettingsAction} />
          </CardBody>
        </Card>
        <Card aria-labelledby="int-email">
          <CardHeader>
            <h2 id="int-email" className="text-base font-semibold">
              {t("email")}
            </h2>
          </CardHeader>
          <CardBody className="space-y-4">
            {s.smtp ? (
              <>
                <dl className={dl}>
                  <Row term={t("smtp")}>
                    <code className="text-xs">
                      {s.smtp.host}:{s.smtp.port} ({s.smtp.tls})
                    </code>
                  </Row>
                  <Row term={t("from")}>{s.smtp.from}</Row>
                </dl>
                <p className="text-sm text-slate-700">{t("mailQueue", { pending: s.email.pending, sent: s.email.sentLastDay, failed: s.email.failed })}</p>
                <TestEmailButton action={sendTestEmailAction} />
              </>
            ) : (
              <p className="text-sm text-slate-700">{t("emailOff")}</p>
            )}
          </CardBody>
        </Card>
        <Card aria-labelledby="int-sso">
          <CardHeader>
            <h2 id="int-sso" className="text-base font-semibold">
              {t("sso")}
            </h2>
          </CardHeader>
          <CardBody>
            <dl className={dl}>
              {s.sso ? (
                <>
                  <Row term={t("issuer")}>
                    <code className="text-xs">{s.sso.issuer}</code>
                  </Row>
                  <Row term={t("clientId")}>
                    <code className="text-xs">{s.sso.clientId}</code>
                  </Row>
                  <Row term={t("callbackUrl")}>
                    <code className="text-xs">{s.sso.callbackUrl}</code>
                  </Row>
                </>
              ) : (
                <Row term={t("sso")}>{t("ssoOff")}</Row>
              )}
              <Row term={t("localLogin")}>
                <Badge tone={s.localLogin === "on" ? "green" : "yellow"}>{t(`localLogins.${s.localLogin}`)}</Badge>
              </Row>
            </dl>
          </CardBody>
        </Card>
      </div>
    </>
  );
}

export default withMessages("all", IntegrationsPage);
