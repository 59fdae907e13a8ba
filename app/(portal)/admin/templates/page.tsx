import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listTemplates, TEMPLATE_SORTS } from "@/lib/templates/list-templates";
import { ListFilters, oneParam, pickParam, SearchField, SelectField } from "@/components/ui/list-filters";
import { PhoneSortLinks, SortableTh } from "@/components/ui/list";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { CARD_CELL_LEFT, CARD_INLINE, CARD_ROW, Table, Td, Th } from "@/components/ui/table";
import { CatalogItemRowActions } from "@/components/admin/catalog-item-row-actions";
import { deleteTemplateAction, setTemplateActiveAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export async function generateMetadata() {
  return { title: (await getTranslations("templates"))("title") };
}

async function TemplatesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const q = oneParam(sp.q)?.slice(0, 100);
  const osFamily = pickParam(sp.family, ["LINUX", "WINDOWS"] as const);
  const status = pickParam(sp.status, ["active", "inactive"] as const);
  const sort = pickParam(sp.sort, TEMPLATE_SORTS);
  const dir = pickParam(sp.dir, ["asc", "desc"] as const);
  const ctx = await pageContext();
  const templates = await guardPage(() => listTemplates(ctx, { q, osFamily, status, sort, dir }));
  const t = await getTranslations("templates");
  const tl = await getTranslations("adminLists");
  const filtered = Boolean(q || osFamily || status);
  const params = { q, family: osFamily, status, sort, dir };
  const sortProps = { sort: sort ?? "", dir: dir ?? (sort === "minDisk" || sort === "machines" ? "desc" : "asc"), basePath: "/admin/templates", params } as const;
  const format = await getFormatter();
  const newButton = (
    <Button asChild>
      <Link href="/admin/templates/new">{t("newTemplate")}</Link>
    </Button>
  );
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} actions={newButton} />
      <ListFilters action="/admin/templates" label={tl("templates.filters")} hidden={{ sort, dir }} clearLabel={tl("clear")} filtered={filtered}>
        <SearchField id="template-q" label={tl("templates.search")} value={q} />
        <SelectField
          id="template-family"
          name="family"
          label={t("osFamily")}
          value={osFamily}
          anyLabel={tl("any")}
          options={(["LINUX", "WINDOWS"] as const).map((x) => ({ value: x, label: t(`families.${x}`) }))}
        />
        <SelectField
          id="template-status"
          name="status"
          label={t("status")}
          value={status}
          anyLabel={tl("any")}
          options={[
            { value: "active", label: t("active") },
            { value: "inactive", label: t("inactive") },
          ]}
        />
      </ListFilters>
      {templates.length === 0 ? (
        filtered ? (
          <EmptyState title={tl("emptyFiltered")} />
        ) : (
          <EmptyState title={t("empty")} description={t("emptyBody")} action={newButton} />
        )
      ) : (
        <>
        <PhoneSortLinks columns={[{ column: "name", label: t("name") }, { column: "family", label: t("osFamily") }, { column: "os", label: t("osName") }, { column: "minDisk", label: t("minDiskGb"), firstDir: "desc" }, { column: "machines", label: t("machines"), firstDir: "desc" }]} {...sortProps} />
        <Table className="max-sm:block max-sm:divide-y-0">
          <thead className="max-sm:sr-only">
            <tr>
              <SortableTh column="name" label={t("name")} {...sortProps} />
              <SortableTh column="family" label={t("osFamily")} {...sortProps} />
              <SortableTh column="os" label={t("osName")} {...sortProps} />
              <Th>{t("osVersion")}</Th>
              <SortableTh column="minDisk" label={t("minDiskGb")} firstDir="desc" className="text-right" {...sortProps} />
              <Th className="text-right">{t("providers")}</Th>
              <Th>{t("status")}</Th>
              <SortableTh column="machines" label={t("machines")} firstDir="desc" className="text-right" {...sortProps} />
              <Th>
                <span className="sr-only">{t("edit")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
            {templates.map((tpl) => (
              <tr key={tpl.id} data-template={tpl.name} className={`${CARD_ROW} ${tpl.active ? "" : "bg-slate-50"}`}>
                <Td className={CARD_CELL_LEFT}>
                  <span className="font-medium text-slate-900">{tpl.name}</span>
                  {tpl.description ? <p className="text-xs text-slate-600">{tpl.description}</p> : null}
                </Td>
                <Td className={CARD_INLINE}>{t(`families.${tpl.osFamily}`)}</Td>
                <Td className={CARD_INLINE}>{tpl.osName}</Td>
                <Td className={CARD_INLINE}>{tpl.osVersion}</Td>
                <Td className={`${CARD_CELL_LEFT} text-right tabular-nums`}>
                  <span className="sm:hidden">{t("minDiskGb")}: </span>
                  {format.number(tpl.minDiskGb)}
                </Td>
                <Td className={`${CARD_INLINE} text-right tabular-nums`}>
                  <span className="sm:hidden">{t("providers")}: </span>
                  {format.number(tpl.providerCount)}
                </Td>
                <Td className={CARD_INLINE}>
                  <Badge tone={tpl.active ? "green" : "gray"}>{tpl.active ? t("active") : t("inactive")}</Badge>
                </Td>
                <Td className={`${CARD_INLINE} text-right tabular-nums`}>
                  <span className="sm:hidden">{t("machines")}: </span>
                  {format.number(tpl.machineCount)}
                </Td>
                <Td className={CARD_CELL_LEFT}>
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
        </>
      )}
    </>
  );
}

export default withMessages("all", TemplatesPage);
