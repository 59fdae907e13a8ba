"use client";
// noVNC on the console WebSocket: the machine's screen (raw RFB in binary frames both ways,
// lib/console/protocol.ts). The page owns the WebSocket (noVNC attaches to it) so the server's
// close code says why a session ended. Keyboard: the screen takes every key while it has
// focus; Ctrl+] gives the focus back to the page (a keyboard user is never trapped in it).
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import type RFB from "@novnc/novnc";
import { Button } from "@/components/ui/button";
import { issueConsoleTicketAction } from "@/app/(portal)/machines/[id]/console/actions";
import { closeReasonOf } from "@/lib/console/protocol";
import type { ConsoleStatus } from "./console-view";

export function vncUrl(path: string, ticket: string): string {
  const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${window.location.host}${path}?ticket=${encodeURIComponent(ticket)}`;
}

/** Ctrl+] (as in `virsh console` and telnet): leave the screen. */
const isEscape = (e: KeyboardEvent) => e.ctrlKey && !e.altKey && !e.metaKey && (e.code === "BracketRight" || e.key === "]");

export function VncConsole({ machineId, label, onStatus }: { machineId: string; label: string; onStatus: (s: ConsoleStatus) => void }) {
  const t = useTranslations("console");
  const box = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const wsRef = useRef<WebSocket | null>(null);
  const toolbar = useRef<HTMLDivElement>(null);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    let disposed = false;
    let ws: WebSocket | null = null;
    let rfb: RFB | null = null;
    const el = box.current;
    const onKey = (e: KeyboardEvent) => {
      if (!isEscape(e)) return;
      e.preventDefault();
      e.stopPropagation();
      rfbRef.current?.blur();
      toolbar.current?.querySelector("button")?.focus();
    };
    // Capture phase: before noVNC's own listener on the canvas sends the key to the machine.
    el?.addEventListener("keydown", onKey, true);
    void (async () => {
      const [{ default: Rfb }, r] = await Promise.all([import("@novnc/novnc"), issueConsoleTicketAction({ machineId })]);
      if (disposed || !box.current) return;
      if (!r.ok) {
        onStatus({ state: "closed", reason: null, message: r.error.message });
        return;
      }
      const socket = new WebSocket(vncUrl(r.data.path, r.data.ticket));
      ws = socket;
      wsRef.current = socket;
      socket.binaryType = "arraybuffer";
      socket.addEventListener("close", (e: CloseEvent) => {
        if (disposed) return;
        setConnected(false);
        onStatus({ state: "closed", reason: closeReasonOf(e.code) });
      });
      const screen = new Rfb(box.current, socket, { shared: true });
      rfb = screen;
      rfbRef.current = screen;
      screen.scaleViewport = true;
      screen.background = "#0f172a";
      const canvas = box.current.querySelector("canvas");
      if (canvas) {
        canvas.setAttribute("aria-label", label);
        canvas.setAttribute("role", "img");
        // In the tab order, so a keyboard user can reach the screen (and leave it with Ctrl+]).
        canvas.tabIndex = 0;
      }
      screen.addEventListener("connect", () => {
        if (disposed) return;
        setConnected(true);
        onStatus({ state: "connected" });
        screen.focus();
      });
      screen.addEventListener("securityfailure", () => {
        if (!disposed) onStatus({ state: "closed", reason: "failed" });
      });
      // The server's proxy answers the display's password challenge itself (a one-time password
      // per session, lib/drivers/libvirt/vnc.ts): a prompt here would mean something else answered.
      screen.addEventListener("credentialsrequired", () => {
        if (!disposed) screen.disconnect();
      });
    })();
    return () => {
      disposed = true;
      el?.removeEventListener("keydown", onKey, true);
      rfbRef.current = null;
      wsRef.current = null;
      if (rfb) rfb.disconnect();
      else if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
    };
  }, [machineId, label, onStatus]);

  return (
    <div className="space-y-2">
      <div ref={toolbar} className="flex flex-wrap items-center gap-3">
        <Button size="sm" variant="secondary" disabled={!connected} onClick={() => rfbRef.current?.sendCtrlAltDel()}>
          {t("ctrlAltDel")}
        </Button>
        <Button size="sm" variant="ghost" disabled={!connected} onClick={() => wsRef.current?.close(1000)}>
          {t("disconnect")}
        </Button>
        <p className="text-xs text-slate-600">{t("vncKeyboard")}</p>
      </div>
      <div ref={box} data-testid="console-screen" className="h-[32rem] w-full overflow-hidden rounded-md bg-slate-900" />
    </div>
  );
}
