"use client";
// Export existing machines as a stack document (shown and downloadable) and, if wanted, adopt
// them: the stack is created owning those machines, nothing is recreated.
import { useMemo, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Field, Input, NativeSelect } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import type { ActionResult } from "@/lib/actions/run-action";
import type { ExportableMachines } from "@/lib/stacks/exportable-machines";

type ExportAction = (input: unknown) => Promise<ActionResult<{ yaml: string; stackId: string | null }>>;

export function ExportMachines({ data, exportAction }: { data: ExportableMachines; exportAction: ExportAction }) {
  const t = useTranslations("stacks");
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [name, setName] = useState("");
  const [yaml, setYaml] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const selectable = data.machines.filter((m) => !m.stackName);
  const canAdopt = [...selected].every((id) => selectable.some((m) => m.id === id));
  const download = useMemo(() => (yaml ? `data:application/yaml;charset=utf-8,${encodeURIComponent(yaml)}` : null), [yaml]);

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const run = (adopt: boolean) =>
    start(async () => {
      const r = await exportAction({ projectId: data.projectId, machineIds: [...selected], name, adopt });
      if (!r.ok) {
        const fields = r.error.details?.fields as Record<string, string[]> | undefined;
        toast.error(fields?.name ? `${t("exportName")}: ${fields.name.join(", ")}` : r.error.message);
        return;
      }
      setYaml(r.data.yaml);
      if (adopt && r.data.stackId) {
        toast.success(t("adopted", { name }));
        router.push(`/stacks/${r.data.stackId}`);
      }
    });

  if (!data.projectId) return <p className="text-sm">{t("exportNoProject")}</p>;
  return (
    <div className="space-y-4">
      <Field id="export-project" label={t("project")}>
        <NativeSelect value={data.projectId} onChange={(e) => router.push(`/stacks/export?project=${e.target.value}`)}>
          {data.projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </NativeSelect>
      </Field>
      {data.machines.length ? (
        <Table>
          <caption className="sr-only">{t("exportMachines")}</caption>
          <thead>
            <tr>
              <Th>
                <span className="sr-only">{t("exportPick")}</span>
              </Th>
              <Th>{t("machine")}</Th>
              <Th>{t("status")}</Th>
              <Th>{t("detail")}</Th>
              <Th>{t("exportInStack")}</Th>
            </tr>
          </thead>
          <tbody>
            {data.machines.map((m) => (
              <tr key={m.id}>
                <Td>
                  <input type="checkbox" aria-label={t("exportPickMachine", { name: m.name })} checked={selected.has(m.id)} onChange={() => toggle(m.id)} />
                </Td>
                <Td>{m.name}</Td>
                <Td>{m.state}</Td>
                <Td>
                  {m.offering}, {m.template}
                </Td>
                <Td>{m.stackName ?? "—"}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p className="text-sm">{t("exportNoMachines")}</p>
      )}
      <Field id="export-name" label={t("exportName")} hint={t("exportNameHint")}>
        <Input value={name} onChange={(e) => setName(e.target.value.trim())} autoComplete="off" />
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" disabled={pending || !selected.size || !name} onClick={() => run(false)}>
          {t("exportShow")}
        </Button>
        <Button type="button" disabled={pending || !selected.size || !name || !canAdopt} onClick={() => run(true)}>
          {t("exportAdopt")}
        </Button>
      </div>
      {!canAdopt ? <p className="text-sm text-slate-700">{t("exportOwned")}</p> : null}
      {yaml ? (
        <section aria-labelledby="export-yaml-title" className="space-y-2">
          <h2 id="export-yaml-title" className="text-lg font-semibold">
            {t("exportDocument")}
          </h2>
          <pre data-testid="export-yaml" className="overflow-x-auto rounded border border-slate-300 bg-slate-50 p-3 text-sm" tabIndex={0}>
            {yaml}
          </pre>
          <a href={download!} download={`${name || "stack"}.yaml`} className="text-sm font-medium text-indigo-700 hover:underline">
            {t("exportDownload")}
          </a>
        </section>
      ) : null}
    </div>
  );
}
