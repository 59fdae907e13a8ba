// Messages live in messages/<locale>/<namespace>.json, one file per feature, merged here
// so features can add their strings without touching a shared file.
import fs from "node:fs";
import path from "node:path";
import type { Locale } from "./locales";

type Messages = Record<string, unknown>;
const cache = new Map<Locale, Messages>();

export function loadMessages(locale: Locale): Messages {
  const hit = process.env.NODE_ENV === "production" ? cache.get(locale) : undefined;
  if (hit) return hit;
  const dir = path.join(process.cwd(), "messages", locale);
  const out: Messages = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    out[file.replace(/\.json$/, "")] = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  }
  cache.set(locale, out);
  return out;
}
