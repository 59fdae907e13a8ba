"use client";
// The request form's placement target: shown when the project may use several providers. The
// user lets the portal choose (the project's default provider first), keeps the machines on the
// private cloud, or names one provider; below, the providers that can serve that choice for the
// chosen offering and template (the same rule the server and placement apply).
import { useTranslations, useFormatter } from "next-intl";
import { Field, NativeSelect } from "@/components/ui/field";
import { allowedProviders, providersForChoice, type PlacementChoice } from "@/lib/orchestration/provider-scope";
import type { RequestFormData, RequestFormProject } from "@/lib/requests/get-request-form";

export type PlacementValue = { placement: PlacementChoice["scope"]; providerId?: string };

export function PlacementTarget({
  data,
  project,
  offeringId,
  templateId,
  value,
  onChange,
  error,
}: {
  data: RequestFormData;
  project: RequestFormProject | null;
  offeringId: string;
  templateId: string;
  value: PlacementValue;
  onChange: (v: PlacementValue) => void;
  error?: string;
}) {
  const t = useTranslations("requests.placement");
  const tk = useTranslations("providers.kinds");
  const f = useFormatter();
  if (!project) return null;
  const projectProviders = { allowedIds: project.allowedProviderIds, defaultProviderId: project.defaultProviderId };
  const allowed = allowedProviders(data.providers, projectProviders).filter((p) => p.status === "ACTIVE");
  // One provider (or none): nothing to choose.
  if (allowed.length < 2) return null;
  const hasPrivate = allowed.some((p) => p.privateCloud);
  const hasPublic = allowed.some((p) => !p.privateCloud);
  const choice: PlacementChoice = { scope: value.placement, providerId: value.providerId ?? null };
  const serving = templateId ? providersForChoice(data.providers, projectProviders, choice, { templateId, offeringId }) : null;
  const names = (ids: string[]) => f.list(ids.map((id) => data.providers.find((p) => p.id === id)?.name ?? id), { type: "conjunction" });
  const defaultName = project.defaultProviderId ? data.providers.find((p) => p.id === project.defaultProviderId)?.name : undefined;
  const selectValue = value.placement === "PROVIDER" ? `provider:${value.providerId ?? ""}` : value.placement;

  return (
    <Field
      id="placement"
      label={t("label")}
      hint={
        <span data-testid="placement-serving" aria-live="polite">
          {!serving
            ? t("chooseTemplate")
            : serving.ids.length
              ? serving.preferred
                ? t("servedPreferred", { names: names(serving.ids), first: names([serving.preferred]) })
                : t("served", { names: names(serving.ids) })
              : t("servedNone")}
          {value.placement === "AUTO" && defaultName && !serving ? ` ${t("defaultNote", { name: defaultName })}` : null}
        </span>
      }
      error={error}
    >
      <NativeSelect
        value={selectValue}
        onChange={(e) => {
          const v = e.target.value;
          if (v.startsWith("provider:")) onChange({ placement: "PROVIDER", providerId: v.slice("provider:".length) });
          else onChange({ placement: v as "AUTO" | "PRIVATE" });
        }}
      >
        <option value="AUTO">{defaultName ? t("autoWithDefault", { name: defaultName }) : t("auto")}</option>
        {hasPrivate && hasPublic ? <option value="PRIVATE">{t("private")}</option> : null}
        <optgroup label={t("oneProvider")}>
          {allowed.map((p) => (
            <option key={p.id} value={`provider:${p.id}`}>
              {t("providerOption", { name: p.name, kind: tk(p.kind) })}
            </option>
          ))}
        </optgroup>
      </NativeSelect>
    </Field>
  );
}
