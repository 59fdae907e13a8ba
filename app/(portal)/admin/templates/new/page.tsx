import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { assertCan } from "@/lib/auth/permissions";
import { PageHeader } from "@/components/ui/card";
import { TemplateForm } from "@/components/admin/template-form";
import { createTemplateAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("newTemplate") };
}

async function NewTemplatePage() {
  const ctx = await pageContext();
  await guardPage(async () => assertCan(ctx.actor, "template.manage"));
  const t = await getTranslations("templates");
  return (
    <>
      <Link href="/admin/templates" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader title={t("newTemplate")} />
      <TemplateForm
        save={createTemplateAction}
        defaultValues={{ name: "", osFamily: "LINUX", osName: "", osVersion: "", description: "", minDiskGb: 10, userData: "", defaultUser: "" }}
      />
    </>
  );
}

export default withMessages("all", NewTemplatePage);
