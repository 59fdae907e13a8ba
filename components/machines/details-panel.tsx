"use client";
// Name, tags and owner of a machine (issue 16): rename (DNS label; the provider too where its
// driver renames), key=value tags, transfer to another member of the project.
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input, NativeSelect, Textarea } from "@/components/ui/field";
import type { MachineDetail } from "@/lib/machines/views";
import { formatTags } from "@/lib/machines/tags";
import { renameMachineAction, setMachineTagsAction, transferMachineAction } from "@/app/(portal)/machines/[id]/actions";
import { useFieldMessage } from "@/components/ui/use-field-message";
import { fieldErrorsOf, useActionToast, useErrorText } from "./client-utils";
import { useRefreshMachine } from "./machine-actions";

export function DetailsPanel({ machine }: { machine: MachineDetail }) {
  const t = useTranslations("ops");
  const run = useActionToast();
  const errorText = useErrorText();
  // Server field errors are message keys (with values): shown in the user's language.
  const fieldMessage = useFieldMessage();
  const shown = (messages: string[] | undefined) => messages?.map(fieldMessage) ?? null;
  const refresh = useRefreshMachine(machine.id);
  const [pending, startTransition] = useTransition();
  const [name, setName] = useState(machine.name);
  const [nameError, setNameError] = useState<string[] | null>(null);
  const [tags, setTags] = useState(formatTags(machine.tags));
  const [tagErrors, setTagErrors] = useState<string[] | null>(null);
  const [ownerId, setOwnerId] = useState("");
  const [ownerError, setOwnerError] = useState<string[] | null>(null);
  const edit = machine.canEditDetails;

  const rename = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      const r = await renameMachineAction({ machineId: machine.id, name });
      if (r.ok) {
        setNameError(null);
        const n = r.data.name;
        if (r.data.provider === "failed") toast.warning(t("details.renameProviderFailed", { name: n, error: r.data.providerError ?? "" }));
        else toast.success(r.data.provider === "portal" ? t("details.renamedPortalOnly", { name: n }) : t("details.renamed", { name: n }));
      } else {
        const f = fieldErrorsOf(r).name;
        setNameError(shown(f));
        if (!f) toast.error(t("details.renameFailed"), { description: errorText(r.error) });
      }
      await refresh();
    });
  };
  const saveTags = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      const r = await setMachineTagsAction({ machineId: machine.id, tags });
      if (r.ok) {
        setTagErrors(null);
        setTags(formatTags(r.data.tags));
        toast.success(t("details.tagsSaved"));
      } else {
        const f = fieldErrorsOf(r).tags;
        setTagErrors(shown(f));
        if (!f) toast.error(t("details.tagsFailed"), { description: errorText(r.error) });
      }
      await refresh();
    });
  };
  const transfer = (e: React.FormEvent) => {
    e.preventDefault();
    const to = machine.transferCandidates.find((c) => c.id === ownerId);
    startTransition(async () => {
      const r = await run(transferMachineAction({ machineId: machine.id, ownerId }), {
        success: t("details.transferred", { machine: machine.name, name: to?.name ?? "" }),
        failure: t("details.transferFailed"),
      });
      if (r.ok) {
        setOwnerId("");
        setOwnerError(null);
      } else setOwnerError(shown(fieldErrorsOf(r).ownerId));
      await refresh();
    });
  };

  return (
    <Card aria-labelledby="machine-details-title">
      <CardHeader>
        <h2 id="machine-details-title" className="text-base font-semibold text-slate-900">
          {t("details.title")}
        </h2>
      </CardHeader>
      <CardBody className="space-y-5">
        {edit ? (
          <form onSubmit={rename} className="space-y-2" noValidate>
            <Field id="machine-rename" label={t("details.name")} hint={machine.providerRenames ? t("details.nameHint") : `${t("details.nameHint")} ${t("details.portalOnly")}`} error={nameError}>
              <Input
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  setNameError(null);
                }}
                autoComplete="off"
                spellCheck={false}
                maxLength={63}
              />
            </Field>
            <Button type="submit" variant="secondary" disabled={pending || !name.trim()}>
              {t("details.rename")}
            </Button>
          </form>
        ) : null}
        {edit ? (
          <form onSubmit={saveTags} className="space-y-2" noValidate>
            <Field id="machine-tags" label={t("details.tags")} hint={t("details.tagsHint")} error={tagErrors}>
              <Textarea
                value={tags}
                onChange={(e) => {
                  setTags(e.target.value);
                  setTagErrors(null);
                }}
                rows={3}
                spellCheck={false}
                className="font-mono text-xs"
              />
            </Field>
            <Button type="submit" variant="secondary" disabled={pending}>
              {t("details.saveTags")}
            </Button>
          </form>
        ) : (
          <div>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("details.tags")}</p>
            {Object.keys(machine.tags).length ? (
              <ul className="mt-1 flex flex-wrap gap-1" data-testid="machine-tags">
                {Object.entries(machine.tags).map(([k, v]) => (
                  <li key={k} className="rounded bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-800">
                    {k}={v}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-sm text-slate-600">{t("details.noTags")}</p>
            )}
          </div>
        )}
        {machine.canTransfer && machine.transferCandidates.length ? (
          <form onSubmit={transfer} className="space-y-2" noValidate>
            <Field id="machine-transfer" label={t("details.transferTo")} error={ownerError}>
              <NativeSelect
                value={ownerId}
                onChange={(e) => {
                  setOwnerId(e.target.value);
                  setOwnerError(null);
                }}
              >
                <option value="">{t("details.choose")}</option>
                {machine.transferCandidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.email})
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Button type="submit" variant="secondary" disabled={pending || !ownerId}>
              {t("details.transfer")}
            </Button>
          </form>
        ) : null}
      </CardBody>
    </Card>
  );
}
