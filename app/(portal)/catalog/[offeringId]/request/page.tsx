import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PageHeader, EmptyState } from "@/components/ui/card";
import { RequestForm } from "@/components/requests/request-form";
import { guardPage } from "@/lib/actions/page-guard";
import { pageContext } from "@/lib/actions/run-action";
import { requestFormQuerySchema } from "@/lib/requests/schemas";
import { getRequestForm } from "@/lib/requests/get-request-form";
import { listMySshKeys } from "@/lib/access/list-my-ssh-keys";
import { submitRequestAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  const t = await getTranslations("requests");
  return { title: t("newTitle") };
}

async function RequestPage({ params }: { params: Promise<{ offeringId: string }> }) {
  const parsed = requestFormQuerySchema.safeParse(await params);
  if (!parsed.success) notFound();
  const ctx = await pageContext();
  const [data, sshKeys] = await guardPage(async () => Promise.all([getRequestForm(ctx, parsed.data), listMySshKeys(ctx)]));
  const t = await getTranslations("requests");
  return (
    <>
      <PageHeader
        title={t("newTitle")}
        description={t("newDescription")}
        actions={
          <Link href="/catalog" className="rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50">
            {t("backToCatalog")}
          </Link>
        }
      />
      {data.projects.length === 0 ? (
        <EmptyState title={t("noProjectsTitle")} description={t("noProjectsBody")} />
      ) : (
        <RequestForm data={data} action={submitRequestAction} sshKeys={sshKeys.map((k) => ({ id: k.id, name: k.name, fingerprint: k.fingerprint }))} />
      )}
    </>
  );
}

export default withMessages(["access", "catalog", "costs", "providers", "requests"], RequestPage);
