import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listTemplates } from "@/lib/templates/list-templates";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { CatalogItemRowActions } from "@/components/admin/catalog-item-row-actions";
import { deleteTemplateAction, setTemplateActiveAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("title") };
}

async function TemplatesPage() {
  const ctx = await pageContext();
  const templates = await guardPage(() => listTemplates(ctx));
  const t = await getTranslations("templates");
  const format = await getFormatter();
  const newButton = (
    <Button asChild>
      <Link href="/admin/templates/new">{t("newTemplate")}</Link>
    </Button>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={newButton} />
      {templates.length === 0 ? (
        <EmptyState title={t("empty")} description={t("emptyBody")} action={newButton} />
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th>{t("osFamily")}</Th>
              <Th>{t("osName")}</Th>
              <Th>{t("osVersion")}</Th>
              <Th className="text-right">{t("minDiskGb")}</Th>
              <Th className="text-right">{t("providers")}</Th>
              <Th>{t("status")}</Th>
              <Th className="text-right">{t("machines")}</Th>
              <Th>
                <span className="sr-only">{t("edit")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {templates.map((tpl) => (
              <tr key={tpl.id} className={tpl.active ? undefined : "bg-slate-50"}>
                <Td>
                  <span className="font-medium text-slate-900">{tpl.name}</span>
                  {tpl.description ? <p className="text-xs text-slate-600">{tpl.description}</p> : null}
                </Td>
                <Td>{t(`families.${tpl.osFamily}`)}</Td>
                <Td>{tpl.osName}</Td>
                <Td>{tpl.osVersion}</Td>
                <Td className="text-right tabular-nums">{format.number(tpl.minDiskGb)}</Td>
                <Td className="text-right tabular-nums">{format.number(tpl.providerCount)}</Td>
                <Td>
                  <Badge tone={tpl.active ? "green" : "gray"}>{tpl.active ? t("active") : t("inactive")}</Badge>
                </Td>
                <Td className="text-right tabular-nums">{format.number(tpl.machineCount)}</Td>
                <Td>
                  <CatalogItemRowActions
                    kind="templates"
                    id={tpl.id}
                    name={tpl.name}
                    active={tpl.active}
                    inUse={tpl.inUse}
                    setActive={setTemplateActiveAction}
                    remove={deleteTemplateAction}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </>
  );
}

export default withMessages("all", TemplatesPage);
