import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getWebhook } from "@/lib/webhooks/get-webhook";
import { WebhookDetail, type WebhookDetailData } from "@/components/webhooks/webhook-detail";
import { deleteWebhookAction, redeliverWebhookAction, rotateWebhookSecretAction, updateWebhookAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("webhooks.ui");
  return { title: t("title") };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function WebhookPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const data = await guardPage(async () => getWebhook(await pageContext(), { id, page: 1 }));
  // Dates as ISO strings, the shape the polling route answers with.
  const initial = JSON.parse(JSON.stringify(data)) as WebhookDetailData;
  return (
    <WebhookDetail
      initial={initial}
      actions={{ update: updateWebhookAction, remove: deleteWebhookAction, rotate: rotateWebhookSecretAction, redeliver: redeliverWebhookAction }}
    />
  );
}

export default withMessages(["webhooks"], WebhookPage);
