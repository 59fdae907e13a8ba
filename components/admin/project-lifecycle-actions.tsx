"use client";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "./confirm-button";
import { useActionErrorToast, type ClientActionResult } from "./action-result";

/** Archive / restore, and delete for a project that never had requests or machines. */
export function ProjectLifecycleActions({
  id,
  name,
  archived,
  hasHistory,
  setArchived,
  remove,
}: {
  id: string;
  name: string;
  archived: boolean;
  hasHistory: boolean;
  setArchived: (input: unknown) => Promise<ClientActionResult>;
  remove: (input: unknown) => Promise<ClientActionResult<{ outcome: "deleted" | "archived" }>>;
}) {
  const t = useTranslations("projects");
  const tc = useTranslations("common");
  const toastError = useActionErrorToast();
  const router = useRouter();

  async function toggle(next: boolean) {
    const r = await setArchived({ id, archived: next });
    if (!r.ok) {
      toastError(r.error);
      return false;
    }
    toast.success(t(next ? "archivedToast" : "unarchivedToast"));
    router.refresh();
    return true;
  }

  return (
    <>
      {archived ? (
        <Button variant="secondary" size="sm" onClick={() => void toggle(false)}>
          {t("unarchive")}
        </Button>
      ) : (
        <ConfirmButton
          label={t("archive")}
          title={t("archiveTitle", { name })}
          body={t("archiveBody")}
          confirmLabel={t("archive")}
          cancelLabel={t("cancel")}
          closeLabel={tc("close")}
          onConfirm={() => toggle(true)}
        />
      )}
      {!hasHistory ? (
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
            if (r.data.outcome === "deleted") {
              toast.success(t("deleted"));
              router.push("/admin/projects");
            } else toast.info(t("archivedInstead"));
            router.refresh();
            return true;
          }}
        />
      ) : null}
    </>
  );
}
