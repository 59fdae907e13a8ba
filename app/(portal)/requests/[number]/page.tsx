import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PageHeader } from "@/components/ui/card";
import { RequestPage } from "@/components/requests/request-page";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { requestNumberSchema } from "@/lib/requests/schemas";
import { getRequestPage } from "@/lib/requests/get-request-page";
import { approveRequestAction, rejectRequestAction } from "../../admin/approvals/actions";
import { cancelRequestAction } from "../actions";
import { addRequestCommentAction, resubmitRequestAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata({ params }: { params: Promise<{ number: string }> }) {
  const t = await getTranslations("requestPage");
  const parsed = requestNumberSchema.safeParse(await params);
  return { title: parsed.success ? t("title", { number: parsed.data.number }) : t("titleShort") };
}

async function RequestDetailPage({ params }: { params: Promise<{ number: string }> }) {
  const parsed = requestNumberSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const data = await guardPage(async () => getRequestPage(await pageContext(), parsed.data));
  const t = await getTranslations("requestPage");
  return (
    <>
      <PageHeader
        title={t("title", { number: data.number })}
        description={t("description", { project: data.project.name })}
        actions={
          <Link href="/requests" className="rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50">
            {t("back")}
          </Link>
        }
      />
      <RequestPage
        initial={data}
        commentAction={addRequestCommentAction}
        resubmitAction={resubmitRequestAction}
        approveAction={approveRequestAction}
        rejectAction={rejectRequestAction}
        cancelAction={cancelRequestAction}
      />
    </>
  );
}

export default withMessages(["approvals", "requestPage", "requests"], RequestDetailPage);
