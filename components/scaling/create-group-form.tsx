"use client";
// Creates a scaling group (approvers: the group's creation approves its scale-outs within the
// project's quota). The worker creates the first machines right after.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { useFieldMessage } from "@/components/ui/use-field-message";
import { fieldErrorsOf, GiB, useErrorText } from "@/components/machines/client-utils";
import type { ActionResult } from "@/lib/actions/run-action";

type Option = { id: string; name: string };

export function numberOr(v: FormDataEntryValue | null, fallback?: number): number | undefined {
  const s = String(v ?? "").trim();
  if (!s) return fallback;
  const n = Number(s);
  return Number.isFinite(n) ? n : (s as unknown as number);
}

export function CreateScalingGroupForm({
  projects,
  offerings,
  templates,
  action,
}: {
  projects: Option[];
  offerings: (Option & { vcpu: number; memoryMb: number })[];
  templates: Option[];
  action: (input: unknown) => Promise<ActionResult<{ id: string; name: string }>>;
}) {
  const t = useTranslations("scaling");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  // Field errors are message keys: shown in the user's language.
  const fieldMessage = useFieldMessage();
  const err = (f: string) => errors[f]?.map(fieldMessage);

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const input = {
          projectId: String(f.get("projectId") ?? ""),
          name: String(f.get("name") ?? ""),
          offeringId: String(f.get("offeringId") ?? ""),
          templateId: String(f.get("templateId") ?? ""),
          minSize: numberOr(f.get("minSize")),
          maxSize: numberOr(f.get("maxSize")),
          desired: numberOr(f.get("desired")),
          targetCpuPercent: numberOr(f.get("targetCpuPercent")),
          scaleOutCooldownSeconds: numberOr(f.get("scaleOutCooldownSeconds"), 120),
          scaleInCooldownSeconds: numberOr(f.get("scaleInCooldownSeconds"), 300),
          stepSize: numberOr(f.get("stepSize"), 1),
        };
        start(async () => {
          const r = await action(input);
          if (r.ok) {
            setErrors({});
            toast.success(t("created"));
            router.push(`/scaling/${r.data.id}`);
          } else {
            const fields = fieldErrorsOf(r);
            setErrors(fields);
            toast.error(t("createFailed"), Object.keys(fields).length ? undefined : { description: errorText(r.error) });
          }
        });
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="sg-project" label={t("project")} error={err("projectId")}>
          <NativeSelect name="projectId" defaultValue={projects.length === 1 ? projects[0].id : ""} required>
            <option value="" disabled>
              {t("choose")}
            </option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="sg-name" label={t("name")} hint={t("nameHint")} error={err("name")}>
          <Input name="name" required maxLength={40} autoComplete="off" placeholder="web" />
        </Field>
        <Field id="sg-offering" label={t("offering")} error={err("offeringId")}>
          <NativeSelect name="offeringId" defaultValue="" required>
            <option value="" disabled>
              {t("choose")}
            </option>
            {offerings.map((o) => (
              <option key={o.id} value={o.id}>
                {t("offeringOption", { name: o.name, vcpu: o.vcpu, memory: GiB(o.memoryMb) })}
              </option>
            ))}
          </NativeSelect>
        </Field>
        <Field id="sg-template" label={t("template")} error={err("templateId")}>
          <NativeSelect name="templateId" defaultValue="" required>
            <option value="" disabled>
              {t("choose")}
            </option>
            {templates.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </NativeSelect>
        </Field>
      </div>
      <div className="grid gap-4 sm:grid-cols-4">
        <Field id="sg-min" label={t("minSize")} error={err("minSize")}>
          <Input name="minSize" type="number" min={0} max={100} defaultValue={1} required />
        </Field>
        <Field id="sg-desired" label={t("desired")} error={err("desired")}>
          <Input name="desired" type="number" min={0} max={100} defaultValue={1} required />
        </Field>
        <Field id="sg-max" label={t("maxSize")} error={err("maxSize")}>
          <Input name="maxSize" type="number" min={1} max={100} defaultValue={4} required />
        </Field>
        <Field id="sg-target" label={t("targetCpu")} hint={t("targetCpuHint")} error={err("targetCpuPercent")}>
          <Input name="targetCpuPercent" type="number" min={5} max={95} defaultValue={60} required />
        </Field>
        <Field id="sg-cool-out" label={t("scaleOutCooldown")} error={err("scaleOutCooldownSeconds")}>
          <Input name="scaleOutCooldownSeconds" type="number" min={0} defaultValue={120} />
        </Field>
        <Field id="sg-cool-in" label={t("scaleInCooldown")} error={err("scaleInCooldownSeconds")}>
          <Input name="scaleInCooldownSeconds" type="number" min={0} defaultValue={300} />
        </Field>
        <Field id="sg-step" label={t("stepSize")} error={err("stepSize")}>
          <Input name="stepSize" type="number" min={1} max={10} defaultValue={1} />
        </Field>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? t("creating") : t("create")}
      </Button>
    </form>
  );
}
