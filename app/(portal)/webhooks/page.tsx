import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listWebhooks } from "@/lib/webhooks/list-webhooks";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { CreateWebhookForm } from "@/components/webhooks/create-webhook-form";
import { createWebhookAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("webhooks.ui");
  return { title: t("title") };
}

const DELIVERY_TONES = { PENDING: "yellow", SUCCEEDED: "green", FAILED: "red" } as const;

async function WebhooksPage() {
  const { items, projects } = await guardPage(async () => listWebhooks(await pageContext(), {}));
  const t = await getTranslations("webhooks.ui");
  const format = await getFormatter();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="space-y-6">
        {projects.length === 0 ? (
          <EmptyState title={t("noProjects")} />
        ) : (
          <Card aria-labelledby="create-webhook">
            <CardHeader>
              <h2 id="create-webhook" className="text-base font-semibold">
                {t("createTitle")}
              </h2>
            </CardHeader>
            <CardBody>
              <CreateWebhookForm projects={projects} action={createWebhookAction} />
            </CardBody>
          </Card>
        )}
        <section aria-labelledby="webhook-list" className="space-y-3">
          <h2 id="webhook-list" className="text-base font-semibold">
            {t("listTitle")}
          </h2>
          {items.length === 0 ? (
            <EmptyState title={t("empty")} />
          ) : (
            <Table aria-label={t("listLabel")}>
              <thead>
                <tr>
                  <Th>{t("url")}</Th>
                  <Th>{t("project")}</Th>
                  <Th>{t("events")}</Th>
                  <Th>{t("enabledCol")}</Th>
                  <Th>{t("lastDelivery")}</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((w) => (
                  <tr key={w.id}>
                    <Td className="max-w-xs break-all">
                      <Link href={`/webhooks/${w.id}`} aria-label={t("open", { url: w.url })} className="font-medium text-indigo-700 underline-offset-2 hover:underline">
                        {w.url}
                      </Link>
                      {w.description ? <p className="text-xs text-slate-600">{w.description}</p> : null}
                    </Td>
                    <Td>{w.projectName}</Td>
                    <Td className="text-xs">{w.events.join(", ")}</Td>
                    <Td>
                      <Badge tone={w.enabled ? "green" : "gray"}>{w.enabled ? t("on") : t("off")}</Badge>
                    </Td>
                    <Td>
                      {w.lastDelivery ? (
                        <span className="flex flex-wrap items-center gap-2">
                          <Badge tone={DELIVERY_TONES[w.lastDelivery.status]}>{t(`statuses.${w.lastDelivery.status}`)}</Badge>
                          <span className="text-xs text-slate-600">{format.dateTime(w.lastDelivery.createdAt, "long")}</span>
                        </span>
                      ) : (
                        t("never")
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
      </div>
    </>
  );
}

export default withMessages("all", WebhooksPage);
