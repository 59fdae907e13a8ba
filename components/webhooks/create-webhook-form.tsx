"use client";
// Subscribes a project to events. The URL's refusals (loopback, private ranges, credentials)
// come back as field errors with message keys (messages/<locale>/webhooks.json).
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { fieldErrorsOf, useErrorText } from "@/components/machines/client-utils";
import type { ActionResult } from "@/lib/actions/run-action";
import { WEBHOOK_EVENT_TYPES } from "@/lib/events/types";
import { SecretDialog } from "./secret-dialog";

export function CreateWebhookForm({
  projects,
  action,
}: {
  projects: { id: string; name: string }[];
  action: (input: unknown) => Promise<ActionResult<{ webhook: { id: string }; secret: string }>>;
}) {
  const t = useTranslations("webhooks.ui");
  const tRoot = useTranslations();
  const errorText = useErrorText();
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [secret, setSecret] = useState<string | null>(null);
  const msg = (m: string) => (m.startsWith("webhooks.") ? tRoot(m as never) : m);
  const err = (f: string) => errors[f]?.map(msg);
  const eventsError = err("events");

  return (
    <>
      <form
        ref={formRef}
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const input = {
            projectId: String(form.get("projectId") ?? ""),
            url: String(form.get("url") ?? ""),
            events: form.getAll("events").map(String),
            description: String(form.get("description") ?? ""),
            enabled: true,
          };
          start(async () => {
            const r = await action(input);
            if (r.ok) {
              setErrors({});
              formRef.current?.reset();
              setSecret(r.data.secret);
              toast.success(t("created"));
              router.refresh();
            } else {
              const fields = fieldErrorsOf(r);
              setErrors(fields);
              toast.error(t("createFailed"), Object.keys(fields).length ? undefined : { description: errorText(r.error) });
            }
          });
        }}
      >
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="webhook-project" label={t("project")} error={err("projectId")}>
            <NativeSelect name="projectId" defaultValue={projects.length === 1 ? projects[0].id : ""} required>
              <option value="" disabled>
                {t("chooseProject")}
              </option>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="webhook-url" label={t("url")} hint={t("urlHint")} error={err("url")}>
            <Input name="url" type="url" required maxLength={2000} autoComplete="off" placeholder="https://hooks.example.com/orquestra" />
          </Field>
        </div>
        <fieldset aria-describedby={eventsError ? "webhook-events-error" : undefined} aria-invalid={eventsError ? true : undefined}>
          <legend className="text-sm font-medium text-slate-800">{t("events")}</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
            {WEBHOOK_EVENT_TYPES.map((ev) => (
              <label key={ev} className="flex items-center gap-2 text-sm text-slate-800">
                <input type="checkbox" name="events" value={ev} className="h-4 w-4 rounded border-slate-400 text-indigo-700" />
                <span>{t(`eventTypes.${ev.replace(/\./g, "_")}` as never)}</span>
                <code className="text-xs text-slate-600">{ev}</code>
              </label>
            ))}
          </div>
          {eventsError ? (
            <p id="webhook-events-error" className="mt-1 text-sm text-red-700" role="alert">
              {eventsError.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <Field id="webhook-description" label={t("descriptionLabel")} hint={t("descriptionHint")} error={err("description")}>
          <Input name="description" maxLength={200} autoComplete="off" />
        </Field>
        <div className="flex justify-end">
          <Button type="submit" disabled={pending}>
            {pending ? t("creating") : t("create")}
          </Button>
        </div>
      </form>
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </>
  );
}
