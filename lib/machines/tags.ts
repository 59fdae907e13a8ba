// Machine tags (issue 16): owner-given key=value labels. Pure: the machine page's editor parses
// and shows them with the same rules the server applies.
export const TAG_KEY_RE = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
export const TAG_MAX = 50;
export const TAG_VALUE_MAX = 255;

export type Tags = Record<string, string>;

/** One `key=value` a line (blank lines ignored); the problems, by line, in plain words. */
export function parseTags(text: string): { tags: Tags; errors: string[] } {
  const tags: Tags = {};
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const eq = line.indexOf("=");
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? "" : line.slice(eq + 1).trim();
    if (eq < 0) errors.push(`Line ${i + 1}: write key=value`);
    else if (!TAG_KEY_RE.test(key)) errors.push(`Line ${i + 1}: a key is lower-case letters, digits, dots, hyphens or underscores (at most 63)`);
    else if (value.length > TAG_VALUE_MAX) errors.push(`Line ${i + 1}: a value has at most ${TAG_VALUE_MAX} characters`);
    else if (key in tags) errors.push(`Line ${i + 1}: ${key} is given twice`);
    else tags[key] = value;
  });
  if (Object.keys(tags).length > TAG_MAX) errors.push(`At most ${TAG_MAX} tags`);
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
