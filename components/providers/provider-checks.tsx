"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/admin/confirm-button";
import { useActionErrorToast, type ClientActionResult } from "@/components/admin/action-result";

type Failure = { ok: false; code: string; message: string };
export type TestResult = ({ ok: true; version: string | null } | Failure) & { status: string };
export type DiscoverResult = { ok: true; created: string[]; updated: string[]; unchanged: string[]; missing: string[] } | Failure;
export type SyncResult = { ok: true; seen: number; drifted: number; cleared: number; unmanaged: number } | Failure;
export type EnableResult = { status: string; connection: { ok: true; version: string | null } | Failure | null };

type Outcome = { tone: "ok" | "error"; text: string; detail?: string };

/**
 * The provider's checks: Test connection, Discover hosts, Sync inventory now, and
 * Disable/Enable. Each result is shown inline (role=status) as well as applied to the page.
 */
export function ProviderChecks({
  id,
  name,
  status,
  actions,
}: {
  id: string;
  name: string;
  status: "ACTIVE" | "UNAVAILABLE" | "DISABLED";
  actions: {
    test: (input: unknown) => Promise<ClientActionResult<TestResult>>;
    discover: (input: unknown) => Promise<ClientActionResult<DiscoverResult>>;
    sync: (input: unknown) => Promise<ClientActionResult<SyncResult>>;
    setEnabled: (input: unknown) => Promise<ClientActionResult<EnableResult>>;
  };
}) {
  const t = useTranslations("providers");
  const toastError = useActionErrorToast();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"test" | "discover" | "sync" | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = <T,>(which: "test" | "discover" | "sync", call: () => Promise<ClientActionResult<T>>, show: (data: T) => Outcome) => {
    setBusy(which);
    setOutcome(null);
    startTransition(async () => {
      try {
        const r = await call();
        if (r.ok) setOutcome(show(r.data));
        else toastError(r.error);
        router.refresh();
      } finally {
        setBusy(null);
      }
    });
  };

  const failure = (key: "testFailed" | "discoverFailed" | "syncFailed", f: Failure): Outcome => ({ tone: "error", text: t(key, { code: t.has(`failureCodes.${f.code}`) ? t(`failureCodes.${f.code}`) : f.code, message: f.message }) });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          variant="secondary"
          disabled={pending}
          onClick={() => run("test", () => actions.test({ id }), (d) => (d.ok ? { tone: "ok", text: t("testOk", { version: d.version ?? "none" }) } : failure("testFailed", d)))}
        >
          {busy === "test" ? t("testing") : t("testConnection")}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          disabled={pending}
          onClick={() =>
            run("discover", () => actions.discover({ id }), (d) =>
              d.ok
                ? {
                    tone: "ok",
                    text: t("discoverOk", { created: d.created.length, updated: d.updated.length, unchanged: d.unchanged.length }),
                    detail: d.missing.length ? t("discoverMissing", { names: d.missing.join(", ") }) : undefined,
                  }
                : failure("discoverFailed", d),
            )
          }
        >
          {busy === "discover" ? t("discovering") : t("discover")}
        </Button>
        <Button
          size="sm"
          variant="secondary"
          disabled={pending || status === "DISABLED"}
          onClick={() =>
            run("sync", () => actions.sync({ id }), (d) =>
              d.ok ? { tone: "ok", text: t("syncOk", { seen: d.seen, drifted: d.drifted, unmanaged: d.unmanaged }) } : failure("syncFailed", d),
            )
          }
        >
          {busy === "sync" ? t("syncing") : t("syncNow")}
        </Button>
        {status === "DISABLED" ? (
          <Button
            size="sm"
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const r = await actions.setEnabled({ id, enabled: true });
                if (!r.ok) toastError(r.error);
                else if (r.data.connection && !r.data.connection.ok) toast.warning(t("enabledUnavailable", { name, message: r.data.connection.message }));
                else toast.success(t("enabledOk", { name }));
                router.refresh();
              })
            }
          >
            {t("enable")}
          </Button>
        ) : (
          <ConfirmButton
            label={t("disable")}
            title={t("disableTitle", { name })}
            body={t("disableBody")}
            confirmLabel={t("disable")}
            cancelLabel={t("cancel")}
            closeLabel={t("close")}
            onConfirm={async () => {
              const r = await actions.setEnabled({ id, enabled: false });
              if (!r.ok) {
                toastError(r.error);
                return false;
              }
              toast.success(t("disabled", { name }));
              router.refresh();
              return true;
            }}
          />
        )}
      </div>
      <div role="status" aria-live="polite" className="min-h-6 text-sm">
        {outcome ? (
          <div className={outcome.tone === "ok" ? "rounded-md border border-green-200 bg-green-50 px-3 py-2 text-green-900" : "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-900"}>
            <p>{outcome.text}</p>
            {outcome.detail ? <p className="mt-1 text-xs">{outcome.detail}</p> : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
