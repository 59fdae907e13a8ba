import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getGroupPage } from "@/lib/groups/get-group-page";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { GroupForm } from "@/components/groups/group-form";
import { GroupMembers } from "@/components/groups/group-members";
import { GroupProjectRoles } from "@/components/groups/group-project-roles";
import { DeleteGroupButton } from "@/components/groups/delete-group-button";
import { withMessages } from "@/components/layout/page-messages";
import {
  addGroupMemberAction,
  deleteGroupAction,
  removeGroupMemberAction,
  removeGroupProjectRoleAction,
  setGroupProjectRoleAction,
  updateGroupAction,
} from "../actions";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  return { title: (await getTranslations("groups"))("title") };
}

async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { group: g, projects } = await guardPage(async () => getGroupPage(await pageContext(), { id }));
  const t = await getTranslations("groups");
  return (
    <>
      <Link href="/admin/groups" className="text-sm text-indigo-700 hover:underline">
        ← {t("backToList")}
      </Link>
      <PageHeader
        title={g.name}
        description={g.description || undefined}
        actions={
          <>
            {g.grantsAdmin ? (
              <Badge tone="indigo" className="self-center">
                {t("admin")}
              </Badge>
            ) : null}
            <DeleteGroupButton id={g.id} name={g.name} remove={deleteGroupAction} />
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("rolesTitle")}</h2>
          </CardHeader>
          <CardBody>
            <GroupProjectRoles groupId={g.id} roles={g.projectRoles} projects={projects} setRole={setGroupProjectRoleAction} removeRole={removeGroupProjectRoleAction} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader>
            <h2 className="text-base font-semibold text-slate-900">{t("editTitle")}</h2>
          </CardHeader>
          <CardBody>
            <GroupForm id={g.id} initial={{ name: g.name, description: g.description, idpGroup: g.idpGroup, grantsAdmin: g.grantsAdmin }} save={updateGroupAction} />
          </CardBody>
        </Card>
      </div>
      <Card className="mt-6">
        <CardHeader>
          <h2 className="text-base font-semibold text-slate-900">{t("membersTitle")}</h2>
        </CardHeader>
        <CardBody>
          <GroupMembers groupId={g.id} members={g.members} addMember={addGroupMemberAction} removeMember={removeGroupMemberAction} />
        </CardBody>
      </Card>
    </>
  );
}

export default withMessages("all", GroupPage);
