"use client";
// A new version of a price book: the cost model (per vCPU, GiB, GB of SSD and HDD, per running
// machine, each per hour or per month) and instance types with list prices. Starts from a copy
// of the version in force; validated with the same zod schema as the server.
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/run-action";
import { addPriceVersionSchema, millicentsToAmountInput, type AddPriceVersionInput } from "@/lib/costs/schemas";
import type { PriceItemKind, PriceUnit } from "@/lib/generated/prisma/enums";

const MODEL_KINDS = ["VCPU", "MEMORY_GIB", "SSD_GB", "HDD_GB", "MACHINE"] as const;
type ModelKind = (typeof MODEL_KINDS)[number];

export interface VersionItem {
  kind: PriceItemKind;
  name: string;
  vcpu: number | null;
  memoryMb: number | null;
  unit: PriceUnit;
  millicents: number;
}

interface InstanceRow {
  key: string;
  name: string;
  vcpu: string;
  memoryGib: string;
  amount: string;
  unit: PriceUnit;
}

type Saved = { priceBookId: string; versionId: string; effectiveFrom: string; items: number };

export function PriceVersionForm({
  priceBookId,
  currency,
  from,
  action,
}: {
  priceBookId: string;
  currency: string;
  /** Items of the version in force (the starting point). */
  from: VersionItem[];
  action: (input: AddPriceVersionInput) => Promise<ActionResult<Saved>>;
}) {
  const t = useTranslations("costs.priceBooks");
  const te = useTranslations("costs.errors");
  const tc = useTranslations("common");
  const router = useRouter();
  const uid = useId();
  const [model, setModel] = useState<Record<ModelKind, { amount: string; unit: PriceUnit }>>(() =>
    Object.fromEntries(
      MODEL_KINDS.map((k) => {
        const it = from.find((i) => i.kind === k);
        return [k, { amount: it ? millicentsToAmountInput(it.millicents) : "", unit: it?.unit ?? (k === "SSD_GB" || k === "HDD_GB" ? "MONTH" : "HOUR") }];
      }),
    ) as Record<ModelKind, { amount: string; unit: PriceUnit }>,
  );
  const [instances, setInstances] = useState<InstanceRow[]>(() =>
    from
      .filter((i) => i.kind === "INSTANCE")
      .map((i, n) => ({ key: `i${n}`, name: i.name, vcpu: String(i.vcpu ?? ""), memoryGib: String((i.memoryMb ?? 0) / 1024), amount: millicentsToAmountInput(i.millicents), unit: i.unit })),
  );
  const [effectiveFrom, setEffectiveFrom] = useState("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const msg = (m: string) => (te.has(m) ? te(m) : m);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const origin: string[] = [];
    const items: AddPriceVersionInput["items"] = [];
    for (const k of MODEL_KINDS) {
      if (model[k].amount.trim() === "") continue;
      origin.push(`model.${k}`);
      items.push({ kind: k, name: "", unit: model[k].unit, amount: model[k].amount.trim() });
    }
    for (const r of instances) {
      origin.push(`inst.${r.key}`);
      items.push({
        kind: "INSTANCE",
        name: r.name.trim(),
        vcpu: r.vcpu.trim() === "" ? null : Number(r.vcpu),
        memoryGib: r.memoryGib.trim() === "" ? null : Number(r.memoryGib.replace(",", ".")),
        unit: r.unit,
        amount: r.amount.trim(),
      });
    }
    const input = {
      priceBookId,
      effectiveFrom: effectiveFrom ? new Date(effectiveFrom).toISOString() : "",
      note,
      items,
    };
    const errs: Record<string, string> = {};
    const place = (path: PropertyKey[], message: string) => {
      if (path[0] === "items" && typeof path[1] === "number") errs[`${origin[path[1]] ?? "items"}.${String(path[2] ?? "amount")}`] ??= msg(message);
      else errs[String(path[0] ?? "_form")] ??= msg(message);
    };
    const parsed = addPriceVersionSchema.safeParse(input);
    if (!parsed.success) for (const i of parsed.error.issues) place(i.path, i.message);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    const r = await action(parsed.data!);
    setBusy(false);
    if (!r.ok) {
      const fields = (r.error.details?.fields ?? {}) as Record<string, string[]>;
      const serverErrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(fields)) {
        const parts = k.split(".");
        if (parts[0] === "items" && parts[1] !== undefined) serverErrs[`${origin[Number(parts[1])] ?? "items"}.${parts[2] ?? "amount"}`] = msg(v[0]);
        else serverErrs[parts[0]] = msg(v[0]);
      }
      if (!Object.keys(serverErrs).length) serverErrs._form = tc.has(`errors.${r.error.code}`) ? tc(`errors.${r.error.code}`, { ref: r.error.correlationId ?? "" }) : r.error.message;
      setErrors(serverErrs);
      return;
    }
    toast.success(t("saved"));
    setEffectiveFrom("");
    setNote("");
    router.refresh();
  };

  const unitSelect = (id: string, value: PriceUnit, onChange: (u: PriceUnit) => void, label: string) => (
    <NativeSelect id={id} aria-label={label} value={value} onChange={(e) => onChange(e.target.value as PriceUnit)} className="w-28">
      <option value="HOUR">{t("units.HOUR")}</option>
      <option value="MONTH">{t("units.MONTH")}</option>
    </NativeSelect>
  );

  return (
    <form onSubmit={submit} noValidate className="space-y-5" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`} className="sr-only">
        {t("newVersion")}
      </h3>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${uid}-from`} label={t("effectiveFrom")} hint={t("effectiveFromHint")} error={errors.effectiveFrom}>
          <Input type="datetime-local" value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} />
        </Field>
        <Field id={`${uid}-note`} label={t("note")} error={errors.note}>
          <Textarea rows={1} value={note} onChange={(e) => setNote(e.target.value)} />
        </Field>
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-900">{t("model")}</legend>
        <p className="text-xs text-slate-600">{t("modelHelp")}</p>
        <div className="grid gap-3">
          {MODEL_KINDS.map((k) => {
            const id = `${uid}-${k}`;
            const err = errors[`model.${k}.amount`] ?? errors[`model.${k}.kind`];
            return (
              <div key={k} className="grid grid-cols-[minmax(0,1fr)_8rem_7rem] items-start gap-2">
                <label htmlFor={id} className="pt-2 text-sm text-slate-800">
                  {t(`items.${k}`)}
                </label>
                <div>
                  <Input
                    id={id}
                    inputMode="decimal"
                    value={model[k].amount}
                    onChange={(e) => setModel({ ...model, [k]: { ...model[k], amount: e.target.value } })}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={err ? `${id}-error` : undefined}
                    placeholder={currency}
                  />
                  {err ? (
                    <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
                      {err}
                    </p>
                  ) : null}
                </div>
                {unitSelect(`${id}-unit`, model[k].unit, (u) => setModel({ ...model, [k]: { ...model[k], unit: u } }), `${t("unit")}: ${t(`items.${k}`)}`)}
              </div>
            );
          })}
        </div>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-900">{t("instances")}</legend>
        <p className="text-xs text-slate-600">{t("instancesHelp")}</p>
        {instances.length ? (
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-700">
                <tr>
                  <th scope="col" className="py-1 pr-2">{t("instanceName")}</th>
                  <th scope="col" className="py-1 pr-2">{t("vcpu")}</th>
                  <th scope="col" className="py-1 pr-2">{t("memoryGib")}</th>
                  <th scope="col" className="py-1 pr-2">{t("amount", { currency })}</th>
                  <th scope="col" className="py-1 pr-2">{t("unit")}</th>
                  <th scope="col" className="py-1">
                    <span className="sr-only">{t("columns.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {instances.map((r, n) => {
                  const set = (patch: Partial<InstanceRow>) => setInstances(instances.map((x) => (x.key === r.key ? { ...x, ...patch } : x)));
                  const e = (f: string) => errors[`inst.${r.key}.${f}`];
                  const rowLabel = r.name || `#${n + 1}`;
                  const cell = (f: keyof InstanceRow, label: string, props: React.InputHTMLAttributes<HTMLInputElement>) => (
                    <td className="py-1 pr-2 align-top">
                      <Input
                        aria-label={`${label} (${rowLabel})`}
                        value={r[f]}
                        onChange={(ev) => set({ [f]: ev.target.value } as Partial<InstanceRow>)}
                        aria-invalid={e(f) ? true : undefined}
                        {...props}
                      />
                      {e(f) ? <p className="mt-1 text-xs text-red-700">{e(f)}</p> : null}
                    </td>
                  );
                  return (
                    <tr key={r.key}>
                      {cell("name", t("instanceName"), { className: "w-36 font-mono", spellCheck: false })}
                      {cell("vcpu", t("vcpu"), { inputMode: "numeric", className: "w-20" })}
                      {cell("memoryGib", t("memoryGib"), { inputMode: "decimal", className: "w-24" })}
                      {cell("amount", t("amount", { currency }), { inputMode: "decimal", className: "w-28" })}
                      <td className="py-1 pr-2 align-top">{unitSelect(`${uid}-${r.key}-unit`, r.unit, (u) => set({ unit: u }), `${t("unit")} (${rowLabel})`)}</td>
                      <td className="py-1 align-top">
                        <Button type="button" variant="secondary" size="sm" onClick={() => setInstances(instances.filter((x) => x.key !== r.key))} aria-label={t("removeInstance", { name: rowLabel })}>
                          ×
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        <Button
          type="button"
          variant="secondary"
          size="sm"
          onClick={() => setInstances([...instances, { key: `n${Date.now()}`, name: "", vcpu: "", memoryGib: "", amount: "", unit: "HOUR" }])}
        >
          {t("addInstance")}
        </Button>
      </fieldset>

      {errors._form || errors.items ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {errors._form ?? errors.items}
        </p>
      ) : Object.keys(errors).length ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {tc("errors.VALIDATION")}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t("saving") : t("save")}
      </Button>
    </form>
  );
}
