"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { SIM_FAULT_MODES, SIM_OPERATIONS } from "@/lib/simulator/schemas";
import type { ActionResult } from "@/lib/actions/run-action";

type Fields = Record<string, string[]>;

export function SimFaultForm({
  providerId,
  action,
}: {
  providerId: string;
  action: (input: unknown) => Promise<ActionResult<{ id: string }>>;
}) {
  const t = useTranslations("simulator");
  const tRoot = useTranslations();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Fields>({});
  const msg = (key: string) => (key.startsWith("simulator.") ? tRoot(key as never) : key);
  const err = (f: string) => errors[f]?.map(msg);
  const id = (f: string) => `${providerId}-${f}`;

  return (
    <form
      className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const input = Object.fromEntries(form.entries());
        start(async () => {
          const r = await action({ ...input, providerId });
          if (r.ok) {
            setErrors({});
            toast.success(t("added"));
            router.refresh();
          } else {
            setErrors((r.error.details?.fields as Fields) ?? {});
            toast.error(t("addFailed"));
          }
        });
      }}
    >
      <Field id={id("operation")} label={t("operation")} error={err("operation")}>
        <NativeSelect name="operation" defaultValue="provision">
          {SIM_OPERATIONS.map((o) => (
            <option key={o} value={o}>
              {o === "*" ? t("anyOperation") : o}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id={id("mode")} label={t("mode")} error={err("mode")}>
        <NativeSelect name="mode" defaultValue="PERMANENT">
          {SIM_FAULT_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`modes.${m}`)}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id={id("message")} label={t("message")} error={err("message")}>
        <Input name="message" defaultValue="" maxLength={300} />
      </Field>
      <Field id={id("remaining")} label={t("remaining")} hint={t("remainingHint")} error={err("remaining")}>
        <Input name="remaining" type="number" min={1} max={1000} />
      </Field>
      <Button type="submit" disabled={pending}>
        {t("add")}
      </Button>
    </form>
  );
}

export function RemoveFaultButton({
  faultId,
  label,
  action,
}: {
  faultId: string;
  label: string;
  action: (input: unknown) => Promise<ActionResult<{ id: string }>>;
}) {
  const t = useTranslations("simulator");
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      variant="secondary"
      size="sm"
      disabled={pending}
      aria-label={label}
      onClick={() =>
        start(async () => {
          const r = await action({ faultId });
          if (r.ok) {
            toast.success(t("removed"));
            router.refresh();
          } else toast.error(t("removeFailed"));
        })
      }
    >
      {t("remove")}
    </Button>
  );
}
