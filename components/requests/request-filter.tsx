import Link from "next/link";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/field";
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import type { RequestStatus } from "@/lib/generated/prisma/enums";
import { REQUEST_STATUSES } from "@/lib/requests/schemas";

/** My requests' filters, applied on change (search after a pause in typing); sort kept. */
export function RequestFilter({ status, q, sort, dir }: { status?: RequestStatus; q?: string; sort?: string; dir?: string }) {
  const t = useTranslations("requests");
  const tr = useTranslations("requestList");
  return (
    <AutoSubmitForm action="/requests" role="search" aria-label={tr("filters")} className="mb-4 flex flex-wrap items-end gap-3">
      {sort ? <input type="hidden" name="sort" value={sort} /> : null}
      {dir ? <input type="hidden" name="dir" value={dir} /> : null}
      <div className="space-y-1">
        <Label htmlFor="status">{t("filterStatus")}</Label>
        <NativeSelect id="status" name="status" defaultValue={status ?? ""} className="w-56">
          <option value="">{t("anyStatus")}</option>
          {REQUEST_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="space-y-1">
        <Label htmlFor="f-q">{tr("search")}</Label>
        <Input id="f-q" name="q" type="search" defaultValue={q ?? ""} />
      </div>
      <noscript>
        <Button type="submit" variant="secondary">
          {t("apply")}
        </Button>
      </noscript>
      {status || q ? (
        <Link href="/requests" className="py-2 text-sm text-indigo-700 hover:underline">
          {tr("clear")}
        </Link>
      ) : null}
    </AutoSubmitForm>
  );
}
