// The console WebSocket's protocol, shared by the server (ws-server.ts) and the browser.
// Shell: binary frames carry terminal bytes both ways; the browser sends its size as a text
// frame {"type":"resize","cols":80,"rows":24}. VNC: binary frames carry raw RFB both ways
// (what noVNC speaks). The server ends a session with one of these close codes.
export const CLOSE = {
  /** The shell exited or the user closed the console. */
  normal: 1000,
  /** Unknown, expired or already used ticket, or the session behind it ended. */
  ticket: 4401,
  /** The ticket's user may no longer open this machine's console. */
  forbidden: 4403,
  /** The machine is not running (or stopped during the session). */
  notRunning: 4409,
  /** No input for too long. */
  idle: 4408,
  /** The session reached its maximum length. */
  maxLength: 4410,
  /** The provider refused or failed to open the console. */
  failed: 4500,
} as const;

export type CloseReason = keyof typeof CLOSE;

export function closeReasonOf(code: number): CloseReason | "network" {
  const hit = (Object.entries(CLOSE) as [CloseReason, number][]).find(([, c]) => c === code);
  return hit ? hit[0] : "network";
}

/** The close reason of a shell session whose command exited: "exit 0" (code CLOSE.normal). */
export const exitReason = (status: number): string => `exit ${status}`;

/** The exit status a close reason carries (null: none). */
export function exitStatusOf(reason: string): number | null {
  const m = /^exit (\d{1,3})$/.exec(reason);
  return m ? Number(m[1]) : null;
}
