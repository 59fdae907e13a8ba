"use client";
// Shows a server or schema field error in the user's language: a message key (with values,
// i18n/field-message.ts) is translated; a key under `namespace` may be bare ("commentRequired");
// text that is no key is shown as it is.
import { useTranslations } from "next-intl";
import { parseFieldMessage } from "@/i18n/field-message";

export function useFieldMessage(namespace?: string) {
  const t = useTranslations();
  return (message: string): string => {
    const { key, values } = parseFieldMessage(message);
    for (const k of namespace ? [key, `${namespace}.${key}`] : [key]) if (t.has(k as never)) return t(k as never, values as never);
    return message;
  };
}
