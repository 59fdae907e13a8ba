"use client";
// The console page's body: a shell (xterm.js) or a screen (noVNC) over the console WebSocket
// (lib/console/ws-server.ts), with its connection status in words and a Reconnect button.
import { useState } from "react";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import type { ConsoleKind } from "@/lib/console/availability";
import type { CloseReason } from "@/lib/console/protocol";
import { ShellConsole } from "./shell-console";
import { VncConsole } from "./vnc-console";

export type ConsoleStatus = { state: "connecting" } | { state: "connected" } | { state: "closed"; reason: CloseReason | "network" | null; message?: string; exitStatus?: number };

export function ConsoleView({ machineId, name, kind }: { machineId: string; name: string; kind: ConsoleKind }) {
  const t = useTranslations("console");
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<ConsoleStatus>({ state: "connecting" });
  const closed = status.state === "closed";
  return (
    <section aria-label={t(kind === "shell" ? "terminal" : "screen", { name })} className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p role="status" data-testid="console-status" data-state={status.state} className="text-sm text-slate-700">
          {status.state === "closed"
            ? `${t("status.closed")} ${status.message ?? (status.exitStatus !== undefined ? t("closed.exit", { status: status.exitStatus }) : status.reason ? t(`closed.${status.reason}`) : "")}`
            : t(`status.${status.state}`)}
        </p>
        {closed ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              setStatus({ state: "connecting" });
              setAttempt((a) => a + 1);
            }}
          >
            {t("reconnect")}
          </Button>
        ) : null}
      </div>
      {kind === "shell" ? <ShellConsole key={attempt} machineId={machineId} label={t("terminal", { name })} onStatus={setStatus} /> : null}
      {kind === "vnc" ? <VncConsole key={attempt} machineId={machineId} label={t("screen", { name })} onStatus={setStatus} /> : null}
    </section>
  );
}
