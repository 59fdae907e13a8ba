// Machine tags (issue 16): owner-given key=value labels. Pure: the machine page's editor parses
// and shows them with the same rules the server applies. Problems are message keys with the
// line (i18n/field-message.ts), shown in the user's language.
import { fe } from "../../i18n/field-message";

export const TAG_KEY_RE = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
export const TAG_MAX = 50;
export const TAG_VALUE_MAX = 255;

export type Tags = Record<string, string>;

/** One `key=value` a line (blank lines ignored); the problems, by line, as message keys. */
export function parseTags(text: string): { tags: Tags; errors: string[] } {
  const tags: Tags = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const eq = line.indexOf("=");
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? "" : line.slice(eq + 1).trim();
    const at = { line: i + 1 };
    if (eq < 0) errors.push(fe("machines", "tagFormat", at));
    else if (!TAG_KEY_RE.test(key)) errors.push(fe("machines", "tagKey", at));
    else if (value.length > TAG_VALUE_MAX) errors.push(fe("machines", "tagValueTooLong", { ...at, max: TAG_VALUE_MAX }));
    else if (key in tags) errors.push(fe("machines", "tagTwice", { ...at, key }));
    else tags[key] = value;
  });
  if (Object.keys(tags).length > TAG_MAX) errors.push(fe("machines", "tooManyTags", { max: TAG_MAX }));
  return { tags, errors };
}

export const formatTags = (tags: Tags) =>
  Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join("\n");

/** A stored JSON value as tags (anything else: none). */
export function tagsOf(value: unknown): Tags {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Tags;
}
