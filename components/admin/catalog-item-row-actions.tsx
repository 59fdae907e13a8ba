"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "./confirm-button";
import { useActionErrorToast, type ClientActionResult } from "./action-result";

/**
 * Edit, deactivate/reactivate and delete for one row of the offerings or templates table.
 * Both catalogue entities share the same lifecycle (in use = deactivated, not deleted) and
 * the same message keys in their own namespace.
 */
export function CatalogItemRowActions({
  kind,
  id,
  name,
  active,
  inUse,
  setActive,
  remove,
}: {
  kind: "offerings" | "templates";
  id: string;
  name: string;
  active: boolean;
  inUse: boolean;
  setActive: (input: unknown) => Promise<ClientActionResult>;
  remove: (input: unknown) => Promise<ClientActionResult<{ outcome: "deleted" | "deactivated" }>>;
}) {
  const t = useTranslations(kind);
  const tc = useTranslations("common");
  const toastError = useActionErrorToast();
  const router = useRouter();

  async function toggle(next: boolean) {
    const r = await setActive({ id, active: next });
    if (!r.ok) {
      toastError(r.error);
      return false;
    }
    toast.success(t(next ? "reactivated" : "deactivated"));
    router.refresh();
    return true;
  }

  return (
    <div className="flex justify-end gap-2 whitespace-nowrap">
      <Button asChild size="sm" variant="secondary">
        <Link href={`/admin/${kind}/${id}`} aria-label={t("editNamed", { name })}>
          {t("edit")}
        </Link>
      </Button>
      {active ? (
        <ConfirmButton
          label={t("deactivate")}
          title={t("deactivateTitle", { name })}
          body={t("deactivateBody")}
          confirmLabel={t("deactivate")}
          cancelLabel={t("cancel")}
          closeLabel={tc("close")}
          onConfirm={() => toggle(false)}
        />
      ) : (
        <Button size="sm" variant="secondary" onClick={() => void toggle(true)}>
          {t("reactivate")}
        </Button>
      )}
      {!inUse ? (
        <ConfirmButton
          label={t("delete")}
          variant="danger"
          title={t("deleteTitle", { name })}
          body={t("deleteBody")}
          confirmLabel={t("delete")}
          cancelLabel={t("cancel")}
          closeLabel={tc("close")}
          onConfirm={async () => {
            const r = await remove({ id });
            if (!r.ok) {
              toastError(r.error);
              return false;
            }
            if (r.data.outcome === "deleted") toast.success(t("deleted"));
            else toast.info(t("deactivatedInstead"));
            router.refresh();
            return true;
          }}
        />
      ) : null}
    </div>
  );
}
