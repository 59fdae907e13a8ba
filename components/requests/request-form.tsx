"use client";
// The request form. Validates with the same zod schema as the server action, previews the
// monthly cost and the project's quota with this request on every change, and shows the
// server's field errors on the fields (the server checks everything again).
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useFormatter, useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import { formatCount, formatGib, formatMoney } from "@/components/catalog/format";
import { QuotaImpactMeters } from "@/components/requests/quota-impact-meters";
import { ProviderComparison } from "@/components/costs/provider-comparison";
import { useErrorMessage } from "@/components/requests/use-error-message";
import { submitRequestSchema, MAX_JUSTIFICATION, type SubmitRequestFormValues, type SubmitRequestInput } from "@/lib/requests/schemas";
import { generateNames, isDnsLabel, MAX_QUANTITY, MAX_PREFIX_LENGTH } from "@/lib/requests/names";
import { leaseDateBounds, leaseProblem } from "@/lib/requests/lease";
import { exceededResources, isAutoApproved, monthlyCost, quotaImpact } from "@/lib/quotas/impact";
import type { ActionResult } from "@/lib/actions/run-action";
import type { RequestFormData } from "@/lib/requests/get-request-form";
import type { SubmitRequestResult } from "@/lib/requests/submit-request";
import { PlacementTarget } from "@/components/requests/placement-target";
import { feasibilityProblems, offeringFeasible, templateFeasible } from "@/lib/requests/feasibility";
import { SshKeyPicker, type PickableSshKey } from "@/components/access/ssh-key-picker";

type FieldName = "projectId" | "offeringId" | "templateId" | "placement" | "quantity" | "name" | "leaseEndsAt" | "justification";
const FIELDS: readonly FieldName[] = ["projectId", "offeringId", "templateId", "placement", "quantity", "name", "leaseEndsAt", "justification"];

export function RequestForm({
  data,
  action,
  sshKeys = [],
}: {
  data: RequestFormData;
  action: (input: SubmitRequestInput) => Promise<ActionResult<SubmitRequestResult>>;
  /** The requester's SSH keys: all ticked at first (lib/access). */
  sshKeys?: readonly PickableSshKey[];
}) {
  const t = useTranslations("requests");
  const tc = useTranslations("catalog");
  const f = useFormatter();
  const router = useRouter();
  const errorMessage = useErrorMessage();
  const [formError, setFormError] = useState<string | null>(null);
  const [taken, setTaken] = useState<string[]>([]);
  const { projects, offerings, templates, currency } = data;
  const initialProject = projects.length === 1 ? projects[0] : null;
  // Where the project has a maximum lease the date is required: the form starts at the
  // longest lease allowed, which the user can shorten.
  const longestLease = (p: { maxLeaseDays: number | null } | null) =>
    p?.maxLeaseDays ? (leaseDateBounds(new Date(data.now), p.maxLeaseDays).max ?? "") : "";
  const initialLease = longestLease(initialProject);
  // The date the form chose itself (replaced on a change of project, unlike one the user typed).
  const [preselected, setPreselected] = useState(initialLease);

  const form = useForm<SubmitRequestFormValues, unknown, SubmitRequestInput>({
    resolver: zodResolver(submitRequestSchema),
    mode: "onSubmit", reValidateMode: "onChange",
    defaultValues: {
      projectId: initialProject?.id ?? "",
      offeringId: data.offering.id,
      templateId: "",
      placement: "AUTO",
      quantity: 1,
      name: "",
      leaseEndsAt: initialLease,
      justification: "",
    },
  });
  const [sshKeyIds, setSshKeyIds] = useState<string[]>(() => sshKeys.map((k) => k.id));
  const [sshKeyError, setSshKeyError] = useState<string | undefined>();
  const { register, handleSubmit, control, setError, setValue, getValues, formState } = form;
  const [templateId, placement, providerId] = useWatch({ control, name: ["templateId", "placement", "providerId"] });
  const [projectId, offeringId, quantityRaw, name, justification] = useWatch({
    control,
    name: ["projectId", "offeringId", "quantity", "name", "justification"],
  });
  // One target for both controls: the placement select and the price comparison's radios
  // (picking a provider there is placement PROVIDER with that provider).
  const setPlacement = (v: { placement: "AUTO" | "PRIVATE" | "PROVIDER"; providerId?: string }) => {
    setValue("placement", v.placement, { shouldValidate: formState.isSubmitted });
    setValue("providerId", v.providerId, { shouldValidate: formState.isSubmitted });
  };

  const project = projects.find((p) => p.id === projectId) ?? null;
  const offering = offerings.find((o) => o.id === offeringId) ?? data.offering;
  const quantity = typeof quantityRaw === "number" && Number.isInteger(quantityRaw) && quantityRaw >= 1 && quantityRaw <= MAX_QUANTITY ? quantityRaw : 0;
  const several = quantity > 1;
  const money = (cents: number) => formatMoney(f, cents, currency);
  const cost = monthlyCost(offering, quantity);
  const lines = useMemo(() => (project && quantity ? quotaImpact(project, offering, quantity) : null), [project, offering, quantity]);
  const over = lines ? exceededResources(lines) : [];
  const bounds = leaseDateBounds(new Date(data.now), project?.maxLeaseDays ?? null);

  // On a change of project, move a date the form chose (never one the user typed) to the new
  // project's longest lease, or clear it where leases are optional.
  const onProjectChange = (id: string) => {
    // A target chosen for one project may not be allowed in another.
    if (getValues("placement") !== "AUTO") setPlacement({ placement: "AUTO" });
    const current = getValues("leaseEndsAt") ?? "";
    if (current !== "" && current !== preselected) return;
    const next = longestLease(projects.find((p) => p.id === id) ?? null);
    setPreselected(next);
    if (current !== next) setValue("leaseEndsAt", next);
  };
  const preview =
    several && typeof name === "string" && isDnsLabel(name) && name.length <= MAX_PREFIX_LENGTH ? generateNames(name, quantity).join(", ") : null;

  const fieldMessage = (message: string | undefined): string | undefined => {
    if (!message) return undefined;
    if (message === "nameTaken") return t("errors.nameTaken", { names: taken.join(", ") });
    if (message === "leaseTooLong")
      return project?.maxLeaseDays ? t("errors.leaseTooLong", { days: project.maxLeaseDays }) : t("errors.leaseTooLongNoDays");
    if (message === "leaseRequired")
      return project?.maxLeaseDays ? t("errors.leaseRequired", { days: project.maxLeaseDays }) : t("errors.leaseRequiredNoDays");
    return t.has(`errors.${message}`) ? t(`errors.${message}`) : message;
  };
  // Feasibility for the chosen project (the server refuses the same): what no active provider of
  // the project can serve is disabled in the lists, and a chosen one says why.
  const scope = project ? { allowedIds: project.allowedProviderIds, defaultProviderId: project.defaultProviderId } : null;
  const templateOk = (id: string) => !scope || templateFeasible(data.providers, scope, id);
  const offeringOk = (id: string) => !scope || offeringFeasible(data.providers, scope, id);
  const live =
    scope && typeof templateId === "string" && templateId
      ? feasibilityProblems(data.providers, scope, { templateId, offeringId: offering.id })
      : scope && !offeringOk(offering.id)
        ? { offeringId: "offeringUnavailable" as const }
        : {};
  const err = (field: FieldName) =>
    fieldMessage(formState.errors[field]?.message ?? (field === "templateId" || field === "offeringId" ? live[field] : undefined));

  const onSubmit = async (values: SubmitRequestInput) => {
    setFormError(null);
    setSshKeyError(undefined);
    const problem = leaseProblem(values.leaseEndsAt, new Date(), project?.maxLeaseDays ?? null);
    if (problem) {
      setError("leaseEndsAt", { type: "validate", message: problem }, { shouldFocus: true });
      return;
    }
    const result = await action({ ...values, sshKeyIds });
    if (result.ok) {
      toast.success(t(result.data.autoApproved ? "submittedAuto" : "submitted", { number: result.data.number }));
      router.push("/requests");
      return;
    }
    const { error } = result;
    if (error.code === "VALIDATION" && error.details?.fields) {
      setTaken(Array.isArray(error.details.taken) ? (error.details.taken as string[]) : []);
      let focused = false;
      const unplaced: string[] = [];
      for (const [key, messages] of Object.entries(error.details.fields as Record<string, string[]>)) {
        if (key === "sshKeyIds") {
          setSshKeyError(fieldMessage(messages[0]));
          continue;
        }
        const field = (key === "names" ? "name" : key) as FieldName;
        if (!FIELDS.includes(field)) {
          unplaced.push(...messages.map((m) => fieldMessage(m) ?? m));
          continue;
        }
        setError(field, { type: "server", message: messages[0] }, { shouldFocus: !focused });
        focused = true;
      }
      setFormError(unplaced.length ? unplaced.join(" ") : null);
      return;
    }
    setFormError(errorMessage(error));
    if (error.code !== "QUOTA_EXCEEDED") toast.error(errorMessage(error));
  };

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="min-w-0 space-y-6">
      <Card>
        <CardBody className="space-y-5">
          <Field id="projectId" label={t("fields.project")} error={err("projectId")}>
            <NativeSelect {...register("projectId", { onChange: (e: React.ChangeEvent<HTMLSelectElement>) => onProjectChange(e.target.value) })}>
              {projects.length !== 1 ? <option value="">{t("fields.chooseProject")}</option> : null}
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </Field>

          <Field id="offeringId" label={t("fields.offering")} error={err("offeringId")}>
            <NativeSelect {...register("offeringId")}>
              {offerings.map((o) => {
                const label = t("offeringOption", {
                  name: o.name,
                  vcpu: o.vcpu,
                  memory: tc("gib", { value: formatGib(f, o.memoryMb) }),
                  disk: tc("gb", { value: formatCount(f, o.diskGb) }),
                  tier: tc(`tiers.${o.diskTier}`),
                  price: tc("perMonth", { amount: money(o.monthlyPriceCents) }),
                });
                const ok = offeringOk(o.id);
                return (
                  <option key={o.id} value={o.id} disabled={!ok && o.id !== offeringId}>
                    {ok ? label : t("unavailableOption", { name: label })}
                  </option>
                );
              })}
            </NativeSelect>
          </Field>

          <Field id="templateId" label={t("fields.template")} error={err("templateId")}>
            <NativeSelect {...register("templateId")}>
              <option value="">{t("fields.chooseTemplate")}</option>
              {templates.map((tp) => {
                const ok = templateOk(tp.id);
                return (
                  <option key={tp.id} value={tp.id} disabled={!ok && tp.id !== templateId}>
                    {ok ? tp.name : t("unavailableOption", { name: tp.name })}
                  </option>
                );
              })}
            </NativeSelect>
          </Field>

          <PlacementTarget
            data={data}
            project={project}
            offeringId={offering.id}
            templateId={typeof templateId === "string" ? templateId : ""}
            value={{ placement: placement ?? "AUTO", providerId }}
            onChange={setPlacement}
            error={err("placement")}
          />

          <Field id="quantity" label={t("fields.quantity")} hint={t("fields.quantityHint", { max: MAX_QUANTITY })} error={err("quantity")}>
            <Input type="number" inputMode="numeric" min={1} max={MAX_QUANTITY} step={1} className="max-w-32" {...register("quantity", { valueAsNumber: true })} />
          </Field>

          <Field
            id="name"
            label={several ? t("fields.prefix") : t("fields.name")}
            hint={
              <>
                {t("fields.nameHint")}
                {preview ? (
                  <span className="mt-1 block font-mono text-slate-800" data-testid="generated-names">
                    {t("fields.generatedNames", { names: preview })}
                  </span>
                ) : null}
              </>
            }
            error={err("name")}
          >
            <Input autoComplete="off" spellCheck={false} maxLength={63} className="font-mono" {...register("name")} />
          </Field>

          <Field
            id="leaseEndsAt"
            label={t("fields.leaseEndsAt")}
            hint={project?.maxLeaseDays ? t("fields.leaseHintMax", { days: project.maxLeaseDays }) : t("fields.leaseHint")}
            error={err("leaseEndsAt")}
          >
            <Input
              type="date"
              min={bounds.min}
              max={bounds.max ?? undefined}
              required={bounds.max !== null}
              className="max-w-48"
              {...register("leaseEndsAt")}
            />
          </Field>

          <Field
            id="justification"
            label={t("fields.justification")}
            hint={t("fields.justificationHint", { max: MAX_JUSTIFICATION, count: typeof justification === "string" ? justification.length : 0 })}
            error={err("justification")}
          >
            <Textarea rows={4} {...register("justification")} />
          </Field>
          <SshKeyPicker keys={sshKeys} chosen={sshKeyIds} onChange={setSshKeyIds} error={sshKeyError} />
        </CardBody>
      </Card>
      <Card aria-labelledby="comparison-heading">
        <CardHeader>
          <h2 id="comparison-heading" className="text-base font-semibold text-slate-900">
            {t("comparisonTitle")}
          </h2>
        </CardHeader>
        <CardBody className="space-y-2">
          <ProviderComparison
            offeringId={offeringId ?? ""}
            templateId={typeof templateId === "string" ? templateId : ""}
            quantity={quantity}
            projectId={typeof projectId === "string" ? projectId : ""}
            currency={currency}
            chosen={placement === "PROVIDER" && typeof providerId === "string" ? providerId : ""}
            onPick={(id) => {
              if (id) setPlacement({ placement: "PROVIDER", providerId: id });
              else if (placement === "PROVIDER") setPlacement({ placement: "AUTO" });
            }}
          />
        </CardBody>
      </Card>
      </div>

      <div className="space-y-4">
        <Card aria-labelledby="summary-heading">
          <CardHeader>
            <h2 id="summary-heading" className="text-base font-semibold text-slate-900">
              {t("summary")}
            </h2>
          </CardHeader>
          <CardBody className="space-y-4">
            <div aria-live="polite">
              <p className="text-sm text-slate-700">{t("monthlyCost")}</p>
              <p className="text-2xl font-semibold tabular-nums text-slate-900" data-testid="monthly-cost">
                {money(cost)}
              </p>
              {quantity ? (
                <p className="text-xs text-slate-600">{t("costBreakdown", { quantity, price: money(offering.monthlyPriceCents), total: money(cost) })}</p>
              ) : null}
              {project ? (
                <p className="mt-2 text-xs text-slate-700">
                  {isAutoApproved(project.autoApproveBelowCents, cost) && quantity
                    ? t("autoApproveYes", { threshold: money(project.autoApproveBelowCents ?? 0) })
                    : t("autoApproveNo")}
                </p>
              ) : null}
            </div>
            <div className="space-y-3">
              <h3 className="text-sm font-medium text-slate-800">
                {t("quotaImpact")}
              </h3>
              {lines ? <QuotaImpactMeters lines={lines} currency={currency} /> : <p className="text-xs text-slate-600">{t("chooseProjectForQuota")}</p>}
              {over.length ? (
                <p className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs font-medium text-red-800">
                  {t("overQuota", { resources: f.list(over.map((r) => t(`resources.${r}`)), { type: "conjunction" }) })}
                </p>
              ) : null}
            </div>
          </CardBody>
        </Card>
        {formError ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {formError}
          </div>
        ) : null}
        <Button type="submit" className="w-full" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? t("submitting") : t("submit")}
        </Button>
      </div>
    </form>
  );
}
