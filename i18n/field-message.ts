// Field errors travel from services and zod schemas to forms as message keys, so each form
// shows them in the user's language (lib/api/messages.ts turns them into English for the API).
// A key may carry values for its placeholders: "fieldErrors.machines.tagKey?line=3". Pure and
// browser-safe.

export type FieldMessageValues = Record<string, string | number>;

/** A message key with its values ("ns.key" or "ns.key?name=value&..."). */
export function fieldMessage(key: string, values?: FieldMessageValues): string {
  if (!values || !Object.keys(values).length) return key;
  const q = new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)]));
  return `${key}?${q.toString()}`;
}

/** The key and values of a field message (a message without "?" is only its key). */
export function parseFieldMessage(message: string): { key: string; values: Record<string, string> } {
  const at = message.indexOf("?");
  if (at < 0 || !/^[A-Za-z][\w.-]*$/.test(message.slice(0, at))) return { key: message, values: {} };
  return { key: message.slice(0, at), values: Object.fromEntries(new URLSearchParams(message.slice(at + 1))) };
}

/** Keys of the fieldErrors namespace (messages/<locale>/fieldErrors.json). */
export const fe = (section: "machines" | "scaling" | "common", key: string, values?: FieldMessageValues) => fieldMessage(`fieldErrors.${section}.${key}`, values);
