"use client";
// One's channel per kind of notification and the daily digest (Settings -> Notifications).
// Without SMTP the e-mail choices are disabled and say why; kinds set to an e-mail channel
// earlier keep their value (the server delivers only in-app while mail is off).
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/field";
import { Table, Td, Th } from "@/components/ui/table";
import { useErrorText } from "@/components/machines/client-utils";
import type { ActionResult } from "@/lib/actions/run-action";
import { kindKey, NOTIFICATION_CHANNELS, wantsEmail, type NotificationChannel, type NotificationKind } from "@/lib/notifications/kinds";
import type { NotificationPreferences } from "@/lib/notifications/get-notification-preferences";

export function NotificationPreferencesForm({
  initial,
  action,
}: {
  initial: NotificationPreferences;
  action: (input: unknown) => Promise<ActionResult<NotificationPreferences>>;
}) {
  const t = useTranslations("settings.notifications");
  const errorText = useErrorText();
  const router = useRouter();
  const [pending, start] = useTransition();
  const [channels, setChannels] = useState<Record<string, NotificationChannel>>(() => Object.fromEntries(initial.items.map((i) => [i.kind, i.channel])));
  const [digest, setDigest] = useState(initial.emailDigest);
  const mailOff = !initial.emailAvailable;

  return (
    <form
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await action({ channels, emailDigest: digest });
          if (r.ok) {
            setChannels(Object.fromEntries(r.data.items.map((i) => [i.kind, i.channel])));
            setDigest(r.data.emailDigest);
            toast.success(t("saved"));
            router.refresh();
          } else toast.error(t("saveFailed"), { description: errorText(r.error) });
        });
      }}
    >
      <p id="email-status" className={mailOff ? "rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" : "text-sm text-slate-700"} role={mailOff ? "note" : undefined}>
        {mailOff ? t("emailOff") : t("emailTo", { email: initial.email })}
      </p>
      <Table aria-label={t("tableLabel")}>
        <thead>
          <tr>
            <Th>{t("kind")}</Th>
            <Th>{t("channel")}</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {initial.items.map(({ kind }) => {
            const label = t(`kinds.${kindKey(kind)}` as never);
            return (
              <tr key={kind}>
                <Td className="font-medium" id={`kind-${kindKey(kind)}`}>
                  {label}
                </Td>
                <Td>
                  <NativeSelect
                    name={kind}
                    aria-label={t("channelFor", { kind: label })}
                    aria-describedby={mailOff ? "email-status" : undefined}
                    value={channels[kind]}
                    onChange={(e) => setChannels((c) => ({ ...c, [kind as NotificationKind]: e.target.value as NotificationChannel }))}
                    className="max-w-xs"
                  >
                    {NOTIFICATION_CHANNELS.map((c) => (
                      <option key={c} value={c} disabled={mailOff && wantsEmail(c) && channels[kind] !== c}>
                        {t(`channels.${c}`)}
                        {mailOff && wantsEmail(c) ? ` (${t("emailOffShort")})` : ""}
                      </option>
                    ))}
                  </NativeSelect>
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <Card>
        <CardBody>
          <div className="flex items-start gap-3">
            <input
              id="email-digest"
              type="checkbox"
              role="switch"
              aria-checked={digest}
              className="mt-1 h-4 w-4 rounded border-slate-400 text-indigo-700 focus:ring-indigo-600"
              checked={digest}
              disabled={mailOff}
              aria-describedby="email-digest-hint"
              onChange={(e) => setDigest(e.target.checked)}
            />
            <div>
              <label htmlFor="email-digest" className="text-sm font-medium text-slate-900">
                {t("digest")}
              </label>
              <p id="email-digest-hint" className="text-xs text-slate-600">
                {t("digestHint")}
                {mailOff ? ` (${t("emailOffShort")})` : ""}
              </p>
            </div>
          </div>
        </CardBody>
      </Card>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>
          {pending ? t("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
