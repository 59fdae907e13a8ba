"use client";
// xterm.js on the console WebSocket: keystrokes go out as binary frames, the terminal's size
// as a text frame, and the shell's output comes back as binary frames (lib/console/protocol.ts).
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "react";
import { getNonce } from "get-nonce";
import type { Terminal } from "@xterm/xterm";
import { issueConsoleTicketAction } from "@/app/(portal)/machines/[id]/console/actions";
import { CLOSE, closeReasonOf, exitStatusOf } from "@/lib/console/protocol";
import type { ConsoleStatus } from "./console-view";

/**
 * xterm.js inserts <style> elements (its theme and cell sizes); under the page's CSP they need
 * the page's nonce, so the elements it creates while this runs get it.
 */
function withStyleNonce<T>(fn: () => T): T {
  const nonce = getNonce();
  if (!nonce) return fn();
  const original = document.createElement;
  document.createElement = function createElementWithNonce(this: Document, tag: string, options?: ElementCreationOptions) {
    const el = original.call(this, tag, options);
    if (tag.toLowerCase() === "style") el.setAttribute("nonce", nonce);
    return el;
  } as typeof document.createElement;
  try {
    return fn();
  } finally {
    document.createElement = original;
  }
}

export function consoleUrl(path: string, ticket: string, size: { cols: number; rows: number }): string {
  const proto = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${window.location.host}${path}?ticket=${encodeURIComponent(ticket)}&cols=${size.cols}&rows=${size.rows}`;
}

export function ShellConsole({ machineId, label, onStatus }: { machineId: string; label: string; onStatus: (s: ConsoleStatus) => void }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let disposed = false;
    let ws: WebSocket | null = null;
    let term: Terminal | null = null;
    let observer: ResizeObserver | null = null;
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import("@xterm/xterm"), import("@xterm/addon-fit")]);
      if (disposed || !box.current) return;
      const t = withStyleNonce(() => new Terminal({ cursorBlink: true, fontSize: 14, fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", theme: { background: "#0f172a", foreground: "#e2e8f0" } }));
      term = t;
      const fit = new FitAddon();
      t.loadAddon(fit);
      withStyleNonce(() => t.open(box.current!));
      t.textarea?.setAttribute("aria-label", label);
      fit.fit();
      const r = await issueConsoleTicketAction({ machineId });
      if (disposed) return;
      if (!r.ok) {
        onStatus({ state: "closed", reason: null, message: r.error.message });
        return;
      }
      const socket = new WebSocket(consoleUrl(r.data.path, r.data.ticket, { cols: t.cols, rows: t.rows }));
      ws = socket;
      socket.binaryType = "arraybuffer";
      const encoder = new TextEncoder();
      socket.onopen = () => {
        onStatus({ state: "connected" });
        t.focus();
      };
      socket.onmessage = (e: MessageEvent) => {
        if (e.data instanceof ArrayBuffer) t.write(new Uint8Array(e.data));
      };
      socket.onclose = (e: CloseEvent) => {
        if (disposed) return;
        // A shell that exited: "exit <status>" in the close reason (lib/console/protocol.ts).
        const exitStatus = e.code === CLOSE.normal ? exitStatusOf(e.reason) : null;
        onStatus({ state: "closed", reason: closeReasonOf(e.code), ...(exitStatus === null ? {} : { exitStatus }) });
        t.options.disableStdin = true;
      };
      t.onData((d) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(d));
      });
      t.onResize(({ cols, rows }) => {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "resize", cols, rows }));
      });
      observer = new ResizeObserver(() => fit.fit());
      observer.observe(box.current!);
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
      if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000);
      term?.dispose();
    };
  }, [machineId, label, onStatus]);

  return <div ref={box} data-testid="console-terminal" className="h-[28rem] w-full overflow-hidden rounded-md bg-slate-900 p-2" />;
}
