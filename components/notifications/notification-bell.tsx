"use client";
import * as Menu from "@radix-ui/react-dropdown-menu";
import { Bell } from "lucide-react";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import type { NotificationList, NotificationView } from "@/lib/notifications/views";
import { cn } from "@/lib/cn";
import { notificationSentence } from "@/lib/notifications/sentence";
import { markAllNotificationsReadAction, markNotificationReadAction } from "./actions";

const POLL_MS = 10_000;
async function fetchNotifications(): Promise<NotificationList> {
  const res = await fetch("/api/notifications?limit=15", { cache: "no-store" });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as NotificationList;
}

/** One notification as a sentence in the reader's language (the same words as its e-mail). */
function useNotificationText() {
  const t = useTranslations("notifications");
  const tm = useTranslations("machines");
  const format = useFormatter();
  return (n: NotificationView) =>
    notificationSentence(n.kind, n.params, {
      notifications: (k, v) => t(k as never, v as never),
      machines: (k, v) => tm(k as never, v as never),
      date: (d) => format.dateTime(d, "short"),
      money: (cents, currency) => format.number(cents / 100, { style: "currency", currency }),
    });
}

/** The header bell: unread count (polled), a keyboard-usable menu of recent notifications. */
export function NotificationBell() {
  const t = useTranslations("notifications");
  const format = useFormatter();
  const router = useRouter();
  const qc = useQueryClient();
  const text = useNotificationText();
  const { data, isError } = useQuery({ queryKey: ["notifications"], queryFn: fetchNotifications, refetchInterval: POLL_MS });
  const unread = data?.unread ?? 0;
  const refresh = () => qc.invalidateQueries({ queryKey: ["notifications"] });

  const open = async (n: NotificationView) => {
    if (!n.read) await markNotificationReadAction({ notificationId: n.id });
    await refresh();
    if (n.link) router.push(n.link);
  };

  return (
    <Menu.Root>
      <Menu.Trigger
        aria-label={unread ? t("bellUnread", { count: unread }) : t("bell")}
        className="relative rounded-md p-2 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <Bell className="h-5 w-5" aria-hidden />
        {unread ? (
          <span aria-hidden className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content align="end" sideOffset={6} className="z-50 w-96 max-w-[calc(100vw-1rem)] rounded-lg border border-slate-200 bg-white p-1 shadow-lg" aria-label={t("title")}>
          <div className="flex items-center justify-between px-3 py-2">
            <Menu.Label className="text-sm font-semibold text-slate-900">{t("title")}</Menu.Label>
          </div>
          <Menu.Separator className="h-px bg-slate-100" />
          <div className="max-h-96 overflow-y-auto">
            {isError ? <p className="px-3 py-4 text-sm text-red-700">{t("loadError")}</p> : null}
            {data && data.items.length === 0 ? <p className="px-3 py-4 text-sm text-slate-600">{t("empty")}</p> : null}
            {data?.items.map((n) => (
              <Menu.Item
                key={n.id}
                onSelect={() => void open(n)}
                className={cn(
                  "flex cursor-pointer gap-2 rounded-md px-3 py-2 text-sm outline-none data-[highlighted]:bg-slate-100",
                  n.read ? "text-slate-600" : "text-slate-900",
                )}
              >
                <span aria-hidden className={cn("mt-1.5 h-2 w-2 shrink-0 rounded-full", n.read ? "bg-transparent" : "bg-indigo-600")} />
                <span className="min-w-0 flex-1">
                  <span className={cn("block", !n.read && "font-medium")}>
                    {!n.read ? <span className="sr-only">{t("unread")}: </span> : null}
                    {text(n)}
                  </span>
                  <time dateTime={n.createdAt} className="mt-0.5 block text-xs text-slate-500">
                    {format.relativeTime(new Date(n.createdAt), new Date())}
                  </time>
                </span>
              </Menu.Item>
            ))}
          </div>
          {unread ? (
            <>
              <Menu.Separator className="h-px bg-slate-100" />
              <Menu.Item
                onSelect={async () => {
                  await markAllNotificationsReadAction();
                  await refresh();
                }}
                className="cursor-pointer rounded-md px-3 py-2 text-sm font-medium text-indigo-700 outline-none data-[highlighted]:bg-slate-100"
              >
                {t("markAllRead")}
              </Menu.Item>
            </>
          ) : null}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
