import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { GROUP_SORTS, listGroups } from "@/lib/groups/list-groups";
import { ListFilters, oneParam, pickParam, SearchField } from "@/components/ui/list-filters";
import { PhoneSortLinks, SortableTh } from "@/components/ui/list";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { CARD_CELL, CARD_ROW, Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { GroupForm } from "@/components/groups/group-form";
import { createGroupAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("groups"))("title") };
}

async function GroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const q = oneParam(sp.q)?.slice(0, 100);
  const sort = pickParam(sp.sort, GROUP_SORTS);
  const dir = pickParam(sp.dir, ["asc", "desc"] as const);
  const { items } = await guardPage(async () => listGroups(await pageContext(), { q, sort, dir }));
  const t = await getTranslations("groups");
  const tl = await getTranslations("adminLists");
  const sortProps = { sort: sort ?? "", dir: dir ?? (sort === "members" ? "desc" : "asc"), basePath: "/admin/groups", params: { q, sort, dir } } as const;
  const tp = await getTranslations("projects");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <ListFilters action="/admin/groups" label={tl("groups.filters")} hidden={{ sort, dir }} clearLabel={tl("clear")} filtered={Boolean(q)}>
        <SearchField id="group-q" label={tl("groups.search")} value={q} />
      </ListFilters>
      {items.length === 0 ? (
        q ? <EmptyState title={tl("emptyFiltered")} /> : <EmptyState title={t("empty")} description={t("emptyBody")} />
      ) : (
        <>
        <PhoneSortLinks columns={[{ column: "name", label: t("name") }, { column: "idpGroup", label: t("idpGroup") }, { column: "members", label: t("members"), firstDir: "desc" }]} {...sortProps} />
        <Table aria-label={t("listLabel")} className="max-sm:block max-sm:divide-y-0">
          <thead className="max-sm:sr-only">
            <tr>
              <SortableTh column="name" label={t("name")} {...sortProps} />
              <SortableTh column="idpGroup" label={t("idpGroup")} {...sortProps} />
              <Th>{t("grants")}</Th>
              <SortableTh column="members" label={t("members")} firstDir="desc" {...sortProps} />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
            {items.map((g) => (
              <tr key={g.id} data-group={g.name} className={CARD_ROW}>
                <Td className={`${CARD_CELL} font-medium`}>
                  <Link href={`/admin/groups/${g.id}`} className="text-indigo-700 hover:underline">
                    {g.name}
                  </Link>
                </Td>
                <Td className={CARD_CELL}>{g.idpGroup ? <code className="text-xs">{g.idpGroup}</code> : <span className="text-slate-600">{t("noMapping")}</span>}</Td>
                <Td className={CARD_CELL}>
                  <div className="flex flex-wrap gap-1">
                    {g.grantsAdmin ? <Badge tone="indigo">{t("admin")}</Badge> : null}
                    {g.projectRoles.map((r) => (
                      <Badge key={r.projectId} tone="gray">
                        {r.projectName}: {tp(`roles.${r.role}`)}
                      </Badge>
                    ))}
                    {!g.grantsAdmin && g.projectRoles.length === 0 ? <span className="text-slate-600">{t("nothing")}</span> : null}
                  </div>
                </Td>
                <Td className={CARD_CELL}>
                  <span className="sm:hidden">{t("members")}: </span>
                  {g.memberCount}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        </>
      )}
      <Card className="mt-6">
        <CardHeader>
          <h2 className="text-base font-semibold text-slate-900">{t("createTitle")}</h2>
        </CardHeader>
        <CardBody>
          <GroupForm save={createGroupAction} />
        </CardBody>
      </Card>
    </>
  );
}

export default withMessages("all", GroupsPage);
