import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { Label, NativeSelect } from "@/components/ui/field";
import type { RequestStatus } from "@/lib/generated/prisma/enums";
import { REQUEST_STATUSES } from "@/lib/requests/schemas";

export function RequestFilter({ status }: { status?: RequestStatus }) {
  const t = useTranslations("requests");
  return (
    <form method="get" action="/requests" role="search" aria-label={t("filterStatus")} className="mb-4 flex flex-wrap items-end gap-3">
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
      <Button type="submit" variant="secondary">
        {t("apply")}
      </Button>
    </form>
  );
}
