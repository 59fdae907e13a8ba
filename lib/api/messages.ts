// Services and schemas report validation problems as message keys so forms can show them in
// the user's language ("offerings.validation.vcpuRange", or a bare "nameRequired" under the
// verb's namespace such as "requests.errors"). The API speaks English: this turns keys into
// the English text of messages/en, keeping the keys beside it (details.fieldKeys) for clients
// that translate themselves. Anything that is not a known key is already text and passes through.
// A key may carry its values ("fieldErrors.machines.tagKey?line=3", i18n/field-message.ts).
import { parseFieldMessage } from "@/i18n/field-message";
import access from "@/messages/en/access.json";
import alerts from "@/messages/en/alerts.json";
import fieldErrors from "@/messages/en/fieldErrors.json";
import approvals from "@/messages/en/approvals.json";
import audit from "@/messages/en/audit.json";
import costs from "@/messages/en/costs.json";
import api from "@/messages/en/api.json";
import machines from "@/messages/en/machines.json";
import offerings from "@/messages/en/offerings.json";
import projects from "@/messages/en/projects.json";
import providers from "@/messages/en/providers.json";
import requests from "@/messages/en/requests.json";
import settings from "@/messages/en/settings.json";
import templates from "@/messages/en/templates.json";
import simulator from "@/messages/en/simulator.json";
import users from "@/messages/en/users.json";
import groups from "@/messages/en/groups.json";
import webhooks from "@/messages/en/webhooks.json";
import leases from "@/messages/en/leases.json";
import type { FieldErrors } from "../errors";

const CATALOGUE: Record<string, unknown> = { access, alerts, fieldErrors, approvals, audit, api, costs, groups, leases, machines, offerings, projects, providers, requests, settings, simulator, templates, users, webhooks };

const KEY = /^[A-Za-z][\w-]*(\.[\w-]+)*$/;

function lookup(path: string): string | null {
  let node: unknown = CATALOGUE;
  for (const part of path.split(".")) {
    if (!node || typeof node !== "object" || !(part in node)) return null;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : null;
}

/** Fills simple ICU arguments ("{days}") from `values`; arguments without a value stay as they are. */
function fill(text: string, values: Record<string, unknown>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    if (Array.isArray(v)) return v.join(", ");
    return typeof v === "string" || typeof v === "number" ? String(v) : whole;
  });
}

/**
 * The message key `message` stands for, if any: a full key ("offerings.validation.vcpuRange")
 * or a bare one resolved under `namespace` ("nameRequired" + "requests.errors").
 */
export function resolveMessageKey(message: string, namespace?: string): string | null {
  message = parseFieldMessage(message).key;
  if (!KEY.test(message)) return null;
  if (message.includes(".") && lookup(message) !== null) return message;
  if (namespace && lookup(`${namespace}.${message}`) !== null) return `${namespace}.${message}`;
  return null;
}

/** English text for a message key (or the message itself when it is not a key). */
export function englishMessage(message: string, namespace?: string, values: Record<string, unknown> = {}): string {
  const key = resolveMessageKey(message, namespace);
  return key ? fill(lookup(key)!, { ...values, ...parseFieldMessage(message).values }) : message;
}

/** Field errors in English, with the keys they came from (only for fields that had keys). */
export function translateFieldErrors(fields: FieldErrors, namespace?: string, values: Record<string, unknown> = {}) {
  const text: FieldErrors = {};
  const keys: FieldErrors = {};
  for (const [field, messages] of Object.entries(fields)) {
    text[field] = messages.map((m) => englishMessage(m, namespace, values));
    const resolved = messages.map((m) => resolveMessageKey(m, namespace));
    // A key keeps its values ("...tagKey?line=3"): a client translating itself fills them.
    const withValues = (k: string, m: string) => (m.includes("?") && parseFieldMessage(m).key !== m ? `${k}${m.slice(m.indexOf("?"))}` : k);
    if (resolved.some((k) => k !== null)) keys[field] = resolved.map((k, i) => (k ? withValues(k, messages[i]) : messages[i]));
  }
  return { fields: text, fieldKeys: Object.keys(keys).length ? keys : undefined };
}
