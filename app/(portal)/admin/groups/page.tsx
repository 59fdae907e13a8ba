import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listGroups } from "@/lib/groups/list-groups";
import { Card, CardBody, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { GroupForm } from "@/components/groups/group-form";
import { createGroupAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("groups"))("title") };
}

async function GroupsPage() {
  const { items } = await guardPage(async () => listGroups(await pageContext()));
  const t = await getTranslations("groups");
  const tp = await getTranslations("projects");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {items.length === 0 ? (
        <EmptyState title={t("empty")} description={t("emptyBody")} />
      ) : (
        <Table aria-label={t("listLabel")}>
          <thead>
            <tr>
              <Th>{t("name")}</Th>
              <Th>{t("idpGroup")}</Th>
              <Th>{t("grants")}</Th>
              <Th>{t("members")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {items.map((g) => (
              <tr key={g.id}>
                <Td className="font-medium">
                  <Link href={`/admin/groups/${g.id}`} className="text-indigo-700 hover:underline">
                    {g.name}
                  </Link>
                </Td>
                <Td>{g.idpGroup ? <code className="text-xs">{g.idpGroup}</code> : <span className="text-slate-600">{t("noMapping")}</span>}</Td>
                <Td>
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
                <Td>{g.memberCount}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
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
