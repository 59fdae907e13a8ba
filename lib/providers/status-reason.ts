/** The reason of a provider registered but never connected. */
export const NOT_TESTED_REASON = "Not connected yet: use Test connection";
/** Why the demo's real providers start unavailable (the simulator keeps the demo working). */
export const DEMO_BACKEND_REASON = "endpoint not running (npm run backends:up starts it)";

/**
 * Why a provider is unavailable, as stored ("AUTH: vSphere needs a user name and a password",
 * the not-tested and demo sentences), split into a translatable code and the provider's own
 * words: the pages show the code in the reader's language with the details after it.
 */
export function parseStatusReason(reason: string): { code: string | null; detail: string | null } {
  if (reason === NOT_TESTED_REASON) return { code: "NOT_TESTED", detail: null };
  if (reason === DEMO_BACKEND_REASON) return { code: "DEMO_BACKEND", detail: null };
  const m = /^([A-Z][A-Z_]+): ([\s\S]*)$/.exec(reason);
  return m ? { code: m[1], detail: m[2].trim() || null } : { code: null, detail: reason };
}

type Translate = ((key: string, values?: Record<string, string>) => string) & { has: (key: string) => boolean };

/** The reason in the reader's language (`t` of the providers namespace), the details after it. */
export function statusReasonText(reason: string, t: Translate): string {
  const { code, detail } = parseStatusReason(reason);
  if (!code || !t.has(`statusReasons.${code}`)) return reason;
  const text = t(`statusReasons.${code}`);
  return detail ? `${text} ${t("statusReasons.details", { detail })}` : text;
}
