// Settings administrators change at run time, one JSON value per key (table Setting). Each
// key has a schema and a default here; a stored value that no longer parses reads as the
// default.
import { z } from "zod";
import type { Db, Prisma, Tx } from "../db/client";

export const SETTINGS = {
  /** Address ranges webhooks may be sent to although they are private, loopback or link-local. */
  "webhooks.allowedNetworks": { schema: z.array(z.string()).max(100), default: [] as string[] },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]["default"];

export async function readSetting<K extends SettingKey>(db: Db | Tx, key: K): Promise<SettingValue<K>> {
  const row = await db.setting.findUnique({ where: { key } });
  if (!row) return SETTINGS[key].default;
  const parsed = SETTINGS[key].schema.safeParse(row.value);
  return (parsed.success ? parsed.data : SETTINGS[key].default) as SettingValue<K>;
}

export async function writeSetting<K extends SettingKey>(tx: Tx, key: K, value: SettingValue<K>, updatedById: string | null): Promise<void> {
  const json = SETTINGS[key].schema.parse(value) as Prisma.InputJsonValue;
  await tx.setting.upsert({ where: { key }, create: { key, value: json, updatedById }, update: { value: json, updatedById } });
}
