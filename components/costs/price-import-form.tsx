"use client";
// Imports a price list from a CSV or JSON file the administrator has (no price API is called):
// the file is read in the browser and sent as text; problems come back line by line.
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import type { ActionResult } from "@/lib/actions/run-action";
import type { ImportPriceListInput } from "@/lib/costs/schemas";

type Saved = { priceBookId: string; versionId: string; effectiveFrom: string; items: number };
type Problem = { line: number; key: string; value?: string };

export function PriceImportForm({ priceBookId, currency, action }: { priceBookId: string; currency: string; action: (input: ImportPriceListInput) => Promise<ActionResult<Saved>> }) {
  const t = useTranslations("costs.priceBooks");
  const tf = useTranslations("costs.file");
  const te = useTranslations("costs.errors");
  const tc = useTranslations("common");
  const router = useRouter();
  const uid = useId();
  const [file, setFile] = useState<File | null>(null);
  const [effectiveFrom, setEffectiveFrom] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const problemText = (p: Problem) => {
    const text = p.key === "item" ? (te.has(p.value ?? "") ? te(p.value!) : (p.value ?? "")) : tf.has(p.key) ? tf(p.key, { value: p.value ?? "", currency }) : p.key;
    return p.line ? tf("line", { line: p.line, problem: text }) : text;
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setProblems([]);
    if (!file) {
      setError(te("fileRequired"));
      return;
    }
    const format = /\.json$/i.test(file.name) || file.type === "application/json" ? "json" : /\.csv$/i.test(file.name) || file.type === "text/csv" ? "csv" : null;
    if (!format) {
      setError(te("formatInvalid"));
      return;
    }
    if (file.size > 60 * 1024) {
      setError(te("fileTooLarge"));
      return;
    }
    setError(null);
    setBusy(true);
    const content = await file.text();
    const r = await action({ priceBookId, format, content, fileName: file.name, effectiveFrom: effectiveFrom ? new Date(effectiveFrom).toISOString() : "" });
    setBusy(false);
    if (!r.ok) {
      const fields = (r.error.details?.fields ?? {}) as Record<string, string[]>;
      const list = (r.error.details?.problems ?? []) as Problem[];
      setProblems(list.map(problemText));
      const first = fields.effectiveFrom?.[0] ?? fields.content?.[0];
      setError(first ? (te.has(first) ? te(first) : first) : tc.has(`errors.${r.error.code}`) ? tc(`errors.${r.error.code}`, { ref: r.error.correlationId ?? "" }) : r.error.message);
      return;
    }
    toast.success(t("imported", { count: r.data.items }));
    setFile(null);
    (e.target as HTMLFormElement).reset();
    router.refresh();
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="text-xs text-slate-600">{t("importHelp", { currency })}</p>
      <Field id={`${uid}-file`} label={t("file")} error={error}>
        <Input type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </Field>
      <Field id={`${uid}-from`} label={t("effectiveFrom")} hint={t("effectiveFromHint")}>
        <Input type="datetime-local" value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} />
      </Field>
      {problems.length ? (
        <ul role="alert" className="list-disc space-y-0.5 rounded-md border border-red-200 bg-red-50 py-2 pl-8 pr-3 text-sm text-red-800" data-testid="import-problems">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? t("importing") : t("import")}
      </Button>
    </form>
  );
}
