import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listUsers } from "@/lib/users/list-users";
import { listUsersSchema } from "@/lib/users/schemas";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { UserRowActions } from "@/components/users/user-row-actions";
import { deleteUserAction, revokeUserAccessAction, setUserDisabledAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("users.admin");
  return { title: t("title") };
}

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const q = typeof sp.q === "string" && sp.q.trim() ? sp.q.trim().slice(0, 100) : undefined;
  const pageNo = Number(typeof sp.page === "string" ? sp.page : 1);
  const input = listUsersSchema.parse({ q, page: Number.isInteger(pageNo) && pageNo >= 1 && pageNo <= 100_000 ? pageNo : 1 });
  const { ctx, list } = await guardPage(async () => {
    const ctx = await pageContext();
    return { ctx, list: await listUsers(ctx, input) };
  });
  const t = await getTranslations("users.admin");
  const format = await getFormatter();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <form method="get" role="search" className="mb-4 flex max-w-lg items-end gap-2">
        <Field id="user-search" label={t("search")} className="flex-1">
          <Input name="q" type="search" defaultValue={q ?? ""} maxLength={100} />
        </Field>
        <Button type="submit" variant="secondary">
          {t("searchButton")}
        </Button>
      </form>
      {list.items.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <Table aria-label={t("listLabel")}>
          <thead>
            <tr>
              <Th>{t("email")}</Th>
              <Th>{t("name")}</Th>
              <Th>{t("role")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("sessions")}</Th>
              <Th>{t("tokens")}</Th>
              <Th>{t("lastLogin")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.items.map((u) => (
              <tr key={u.id}>
                <Td className="font-medium">
                  {u.email} {u.id === ctx.actor.id ? <span className="text-slate-600">({t("you")})</span> : null}
                </Td>
                <Td>{u.name}</Td>
                <Td>{t(`roles.${u.role}`)}</Td>
                <Td>
                  {u.disabled ? (
                    <Badge tone="gray">{t("statuses.DISABLED")}</Badge>
                  ) : u.lockedUntil ? (
                    <Badge tone="yellow" title={t("lockedUntil", { time: format.dateTime(u.lockedUntil, "long") })}>
                      {t("statuses.LOCKED")}
                    </Badge>
                  ) : (
                    <Badge tone="green">{t("statuses.ACTIVE")}</Badge>
                  )}
                </Td>
                <Td>{u.activeSessions}</Td>
                <Td>{u.activeTokens}</Td>
                <Td>{u.lastLoginAt ? format.dateTime(u.lastLoginAt, "long") : t("never")}</Td>
                <Td className="text-right">
                  <UserRowActions
                    user={{ id: u.id, email: u.email, disabled: u.disabled }}
                    self={u.id === ctx.actor.id}
                    actions={{ setDisabled: setUserDisabledAction, revoke: revokeUserAccessAction, remove: deleteUserAction }}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Pagination page={list.page} pageCount={list.pageCount} basePath="/admin/users" params={{ q }} />
    </>
  );
}
