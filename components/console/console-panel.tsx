"use client";
// The machine page's console card: a link to the console page when the machine has one now,
// else why not, in words.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { MachineDetail } from "@/lib/machines/views";
import { consoleUnavailable } from "@/lib/console/availability";

export function ConsolePanel({ machine: m }: { machine: MachineDetail }) {
  const t = useTranslations("console");
  const kind = m.provider?.console ?? null;
  const why = m.provider && !kind ? "unsupported" : consoleUnavailable({ state: m.state, providerKind: m.provider?.kind ?? null });
  return (
    <Card>
      <CardHeader>
        <h2 className="text-base font-semibold text-slate-900">{t("panel.title")}</h2>
      </CardHeader>
      <CardBody className="space-y-3 text-sm text-slate-700">
        {kind ? <p>{t(`panel.${kind}`)}</p> : null}
        {why ? (
          <p>{t(`panel.${why}`)}</p>
        ) : !m.canOperate ? (
          <p>{t("panel.noPermission")}</p>
        ) : (
          <Link
            href={`/machines/${m.id}/console`}
            className="inline-flex h-8 items-center rounded-md bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            {t("panel.open")}
          </Link>
        )}
      </CardBody>
    </Card>
  );
}
