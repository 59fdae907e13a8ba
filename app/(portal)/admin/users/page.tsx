import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listUsers } from "@/lib/users/list-users";
import { listUsersSchema, USER_SORTS } from "@/lib/users/schemas";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import { KeysetPager, PhoneSortLinks, SortableTh } from "@/components/ui/list";
import { UserRowActions } from "@/components/users/user-row-actions";
import { InviteUserForm } from "@/components/users/invite-user-form";
import { signInOptions } from "@/lib/auth/oidc-config";
import { deleteUserAction, inviteUserAction, resendInvitationAction, revokeUserAccessAction, setUserDisabledAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

/** Below 640 px each row is a card (one table: each user appears once). */
const CARD_ROW = "max-sm:grid max-sm:grid-cols-2 max-sm:gap-x-3 max-sm:gap-y-1 max-sm:rounded-lg max-sm:border max-sm:border-slate-200 max-sm:p-3";
const CARD_CELL = "max-sm:block max-sm:p-0";

export async function generateMetadata() {
  const t = await getTranslations("users.admin");
  return { title: t("title") };
}

async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const q = typeof sp.q === "string" && sp.q.trim() ? sp.q.trim().slice(0, 100) : undefined;
  const one = (v: string | string[] | undefined) => (typeof v === "string" && v ? v : undefined);
  const sortRaw = one(sp.sort);
  const dirRaw = one(sp.dir);
  const input = listUsersSchema.parse({
    q,
    page: 1,
    sort: USER_SORTS.find((x) => x === sortRaw),
    dir: dirRaw === "asc" || dirRaw === "desc" ? dirRaw : undefined,
    cursor: one(sp.cursor)?.slice(0, 200),
  });
  const { ctx, list } = await guardPage(async () => {
    const ctx = await pageContext();
    return { ctx, list: await listUsers(ctx, input) };
  });
  const t = await getTranslations("users.admin");
  const format = await getFormatter();
  const localAccounts = signInOptions().localLogin !== "off";
  const tl = await getTranslations("lists");
  const params = { q, sort: input.sort, dir: input.dir };
  const sortProps = { sort: list.sort, dir: list.dir, basePath: "/admin/users", params };
  const exportQuery = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {localAccounts ? <InviteUserForm invite={inviteUserAction} /> : null}
      <AutoSubmitForm action="/admin/users" role="search" aria-label={t("searchButton")} className="mb-4 flex max-w-lg items-end gap-2">
        {input.sort ? <input type="hidden" name="sort" value={input.sort} /> : null}
        {input.dir ? <input type="hidden" name="dir" value={input.dir} /> : null}
        <Field id="user-search" label={t("search")} className="flex-1">
          <Input name="q" type="search" defaultValue={q ?? ""} maxLength={100} />
        </Field>
        <noscript>
          <Button type="submit" variant="secondary">
            {t("searchButton")}
          </Button>
        </noscript>
      </AutoSubmitForm>
      {list.items.length ? (
        <p className="mb-2 flex text-sm">
          <a href={`/api/admin/users/export?${exportQuery}`} download className="ml-auto text-indigo-700 underline hover:text-indigo-900">
            {tl("exportCsv")}
          </a>
        </p>
      ) : null}
      {list.items.length === 0 ? (
        <EmptyState title={t("empty")} />
      ) : (
        <>
        <PhoneSortLinks columns={[{ column: "email", label: t("email") }, { column: "name", label: t("name") }]} {...sortProps} />
        <Table aria-label={t("listLabel")} className="max-sm:block max-sm:divide-y-0">
          <thead className="max-sm:sr-only">
            <tr>
              <SortableTh column="email" label={t("email")} {...sortProps} />
              <SortableTh column="name" label={t("name")} {...sortProps} />
              <Th>{t("role")}</Th>
              <Th>{t("groups")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("sessions")}</Th>
              <Th>{t("tokens")}</Th>
              <Th>{t("lastLogin")}</Th>
              <Th>
                <span className="sr-only">{t("actions")}</span>
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block max-sm:space-y-2 max-sm:divide-y-0 max-sm:p-2">
            {list.items.map((u) => (
              <tr key={u.id} data-user={u.email} className={CARD_ROW}>
                <Td className={`${CARD_CELL} font-medium max-sm:break-all`}>
                  {u.email} {u.id === ctx.actor.id ? <span className="text-slate-600">({t("you")})</span> : null}
                </Td>
                <Td className={CARD_CELL}>{u.name}</Td>
                <Td className={CARD_CELL}>
                  {t(`roles.${u.role}`)} {u.sso ? <Badge tone="indigo">{t("sso")}</Badge> : null}
                </Td>
                <Td className="max-sm:hidden">{u.groups}</Td>
                <Td className={CARD_CELL}>
                  {u.invitationExpiresAt ? (
                    <Badge tone="blue" title={t("invitedUntil", { time: format.dateTime(u.invitationExpiresAt, "long") })}>
                      {t("statuses.INVITED")}
                    </Badge>
                  ) : u.disabled ? (
                    <Badge tone="gray">{t("statuses.DISABLED")}</Badge>
                  ) : u.lockedUntil ? (
                    <Badge tone="yellow" title={t("lockedUntil", { time: format.dateTime(u.lockedUntil, "long") })}>
                      {t("statuses.LOCKED")}
                    </Badge>
                  ) : (
                    <Badge tone="green">{t("statuses.ACTIVE")}</Badge>
                  )}
                </Td>
                <Td className="max-sm:hidden">{u.activeSessions}</Td>
                <Td className="max-sm:hidden">{u.activeTokens}</Td>
                <Td className={`${CARD_CELL} max-sm:text-xs max-sm:text-slate-600`}>{u.lastLoginAt ? format.dateTime(u.lastLoginAt, "long") : t("never")}</Td>
                <Td className={`${CARD_CELL} text-right`}>
                  <UserRowActions
                    user={{ id: u.id, email: u.email, disabled: u.disabled, invited: localAccounts && u.invitationExpiresAt !== null }}
                    self={u.id === ctx.actor.id}
                    actions={{ setDisabled: setUserDisabledAction, revoke: revokeUserAccessAction, remove: deleteUserAction, resend: resendInvitationAction }}
                  />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        </>
      )}
      <KeysetPager basePath="/admin/users" params={params} nextCursor={list.nextCursor} atStart={!input.cursor} labels={{ nav: tl("pager.label"), next: tl("pager.next"), first: tl("pager.first") }} />
    </>
  );
}

export default withMessages("all", UsersPage);
