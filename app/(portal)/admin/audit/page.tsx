import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { listAuditFilterOptions } from "@/lib/audit/list-audit-filter-options";
import { auditFilterSchema, type AuditFilter } from "@/lib/audit/schemas";
import { zodFieldErrors } from "@/lib/errors";
import { Button } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { AuditDiff } from "@/components/admin/audit-diff";
import { AutoSubmitForm } from "@/components/ui/auto-submit-form";
import { KeysetPagination } from "@/components/admin/keyset-pagination";

export async function generateMetadata() {
  return { title: (await getTranslations("audit"))("title") };
}

const KEYS = ["actor", "action", "targetType", "targetId", "projectId", "from", "to", "after", "before"] as const;

/** Where a target's own page is, by its type (types without a page are not linked). */
const TARGET_PAGE: Record<string, (id: string) => string> = {
  Machine: (id) => `/machines/${id}`,
  Project: (id) => `/admin/projects/${id}`,
  Offering: (id) => `/admin/offerings/${id}`,
  Template: (id) => `/admin/templates/${id}`,
  Provider: (id) => `/admin/providers/${id}`,
  Stack: (id) => `/stacks/${id}`,
  Workload: (id) => `/workloads/${id}`,
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const raw: Record<string, string | undefined> = {};
  for (const k of KEYS) {
    const v = sp[k];
    raw[k] = Array.isArray(v) ? v[0] : v;
  }
  // A bad filter value is reported next to its field and ignored; the rest still applies.
  const parsed = auditFilterSchema.safeParse(raw);
  const fieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
  const filter: AuditFilter = parsed.success
    ? parsed.data
    : (auditFilterSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !fieldErrors[k] && !(k === "from" && fieldErrors.to)))).data ?? {});

  const ctx = await pageContext();
  const [page, options] = await guardPage(() => Promise.all([listAuditEvents(ctx, filter), listAuditFilterOptions(ctx)]));
  const t = await getTranslations("audit");
  const tA = await getTranslations("auditActions");
  const actionLabel = (a: string) => (tA.has(a) ? tA(a) : a);
  const typeLabel = (type: string) => (t.has(`targetTypes.${type}`) ? t(`targetTypes.${type}`) : type);
  const withQuery = (path: string, q: Record<string, string | undefined>) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v && k !== "after" && k !== "before") sp.set(k, v);
    const qs = sp.toString();
    return qs ? `${path}?${qs}` : path;
  };
  const format = await getFormatter();
  const timeZone = process.env.ORQ_TIME_ZONE ?? "UTC";
  const errText = (k: string) => fieldErrors[k]?.map((m) => (t.has(m.replace(/^audit\./, "")) ? t(m.replace(/^audit\./, "")) : m));
  const filtered = KEYS.some((k) => k !== "after" && k !== "before" && raw[k]);

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <AutoSubmitForm action="/admin/audit" className="mb-6 rounded-lg border border-slate-200 bg-white p-4" aria-label={t("filters")}>
        {raw.targetId ? <input type="hidden" name="targetId" value={raw.targetId} /> : null}
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Field id="audit-actor" label={t("actor")} error={errText("actor")}>
            <Input name="actor" type="email" defaultValue={raw.actor ?? ""} autoComplete="off" />
          </Field>
          <Field id="audit-action" label={t("action")} error={errText("action")}>
            <NativeSelect name="action" defaultValue={raw.action ?? ""}>
              <option value="">{t("any")}</option>
              {options.actions.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="audit-target-type" label={t("targetType")} error={errText("targetType")}>
            <NativeSelect name="targetType" defaultValue={raw.targetType ?? ""}>
              <option value="">{t("any")}</option>
              {options.targetTypes.map((a) => (
                <option key={a} value={a}>
                  {typeLabel(a)}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="audit-project" label={t("project")} error={errText("projectId")}>
            <NativeSelect name="projectId" defaultValue={raw.projectId ?? ""}>
              <option value="">{t("any")}</option>
              {options.projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.archived ? `${p.name} (${t("archived")})` : p.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="audit-from" label={t("from")} hint={t("dateHint", { timeZone })} error={errText("from")}>
            <Input name="from" type="date" defaultValue={raw.from ?? ""} />
          </Field>
          <Field id="audit-to" label={t("to")} hint={t("dateHint", { timeZone })} error={errText("to")}>
            <Input name="to" type="date" defaultValue={raw.to ?? ""} />
          </Field>
        </div>
        {fieldErrors.after || fieldErrors.before ? (
          <p role="alert" className="mt-3 text-sm text-red-700">
            {t("validation.cursorInvalid")}
          </p>
        ) : null}
        <div className="mt-4 flex flex-wrap items-center gap-2">
          <noscript>
            <Button type="submit">{t("apply")}</Button>
          </noscript>
          <Button asChild variant="secondary">
            <Link href="/admin/audit">{t("clear")}</Link>
          </Button>
          {raw.targetId ? (
            <Button asChild variant="secondary">
              <Link href={withQuery("/admin/audit", { ...raw, targetId: undefined })}>{t("clearTarget")}</Link>
            </Button>
          ) : null}
          <Button asChild variant="secondary">
            <a href={withQuery("/api/audit/export", raw)} download>
              {t("exportCsv")}
            </a>
          </Button>
          <p className="text-sm text-slate-600">{t("autoApply")}</p>
        </div>
      </AutoSubmitForm>

      {page.events.length === 0 ? (
        <EmptyState title={t("empty")} description={filtered ? t("emptyFiltered") : t("emptyBody")} />
      ) : (
        <Table className="w-full table-fixed sm:min-w-[48rem] max-sm:block">
          <thead className="max-sm:sr-only">
            <tr>
              <Th>{t("time")}</Th>
              <Th>{t("actor")}</Th>
              <Th>{t("action")}</Th>
              <Th>{t("target")}</Th>
              <Th>{t("project")}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block">
            {page.events.map((e) => (
              <tr key={e.id} className="max-sm:block">
                <Td colSpan={5} className="p-0 max-sm:block">
                  <details className="group">
                    <summary className="grid cursor-pointer grid-cols-1 gap-1 px-4 py-2 sm:grid-cols-5 sm:gap-4 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600">
                      <span className="flex items-start gap-1.5 tabular-nums">
                        <span aria-hidden="true" className="mt-0.5 inline-block text-slate-500 transition-transform group-open:rotate-90">
                          ▸
                        </span>
                        <span className="sr-only">{t("expand")}: </span>
                        <time dateTime={e.at.toISOString()}>{format.dateTime(e.at, { dateStyle: "medium", timeStyle: "medium" })}</time>
                      </span>
                      <span className="break-all">{e.actorEmail === "system" || !e.actorEmail ? t("system") : e.actorEmail}</span>
                      <span className="leading-5">
                        {actionLabel(e.action)}
                        <span className="block font-mono text-xs text-slate-600">{e.action}</span>
                      </span>
                      <span className="break-words leading-5">
                        {e.targetName ?? (e.targetId ? <span className="font-mono text-xs break-all">{e.targetId}</span> : "—")}
                        <span className="block text-xs text-slate-600">{typeLabel(e.targetType)}</span>
                      </span>
                      <span>{e.projectName ?? (e.projectId ? <span className="font-mono text-xs">{e.projectId}</span> : "—")}</span>
                    </summary>
                    <div className="space-y-2 border-t border-slate-100 bg-slate-50/60 px-4 py-3">
                      {e.targetId ? (
                        <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
                          {TARGET_PAGE[e.targetType] && e.targetName ? (
                            <Link className="text-indigo-700 underline hover:text-indigo-900" href={TARGET_PAGE[e.targetType](e.targetId)}>
                              {t("openTarget", { name: e.targetName })}
                            </Link>
                          ) : null}
                          <Link className="text-indigo-700 underline hover:text-indigo-900" href={withQuery("/admin/audit", { targetType: e.targetType, targetId: e.targetId })}>
                            {t("onlyTarget", { name: e.targetName ?? e.targetId })}
                          </Link>
                          <span className="font-mono text-xs text-slate-600">{e.targetId}</span>
                        </p>
                      ) : null}
                      <AuditDiff before={e.before} after={e.after} />
                      {e.correlationId ? <p className="text-xs text-slate-600">{t("correlation", { id: e.correlationId })}</p> : null}
                    </div>
                  </details>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <KeysetPagination basePath="/admin/audit" params={raw} newerCursor={page.newerCursor} olderCursor={page.olderCursor} />
    </>
  );
}
