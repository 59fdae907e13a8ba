import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getTemplate } from "@/lib/templates/get-template";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { TemplateForm } from "@/components/admin/template-form";
import { TemplateRefsForm } from "@/components/admin/template-refs-form";
import { canCloudInit } from "@/lib/access/injection";
import { setTemplateProviderRefsAction, updateTemplateAction } from "../actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("editTemplate") };
}

async function EditTemplatePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  const tpl = await guardPage(() => getTemplate(ctx, { id }));
  const t = await getTranslations("templates");
  const ta = await getTranslations("access");
  const tc = await getTranslations("common");
  // Providers serving this template that cannot boot it with the user data (the UI says so).
  const noInject = tpl.providers.filter((p) => p.ref && !canCloudInit(p.kind)).map((p) => `${p.name} (${tc(`providerKinds.${p.kind}`)})`);
  return (
    <>
      <Link href="/admin/templates" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader
        title={t("editNamed", { name: tpl.name })}
        description={tpl.inUse ? t("inUseNote") : undefined}
        actions={<Badge tone={tpl.active ? "green" : "gray"}>{tpl.active ? t("active") : t("inactive")}</Badge>}
      />
      <div className="space-y-8">
        <TemplateForm
          id={tpl.id}
          save={updateTemplateAction}
          defaultValues={{
            name: tpl.name,
            osFamily: tpl.osFamily,
            osName: tpl.osName,
            osVersion: tpl.osVersion,
            description: tpl.description,
            minDiskGb: tpl.minDiskGb,
            userData: tpl.userData,
            defaultUser: tpl.defaultUser,
          }}
        />
        {noInject.length ? (
          <p className="max-w-2xl text-sm text-amber-800" data-testid="template-no-inject">
            {ta("templateNoInject", { providers: noInject.join(", ") })}
          </p>
        ) : null}
        <Card className="max-w-3xl">
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("refsTitle")}</h2>
            <p className="mt-1 text-sm text-slate-600">{t("refsDescription")}</p>
          </CardHeader>
          <CardBody>
            <TemplateRefsForm templateId={tpl.id} providers={tpl.providers} save={setTemplateProviderRefsAction} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}

export default withMessages("all", EditTemplatePage);
