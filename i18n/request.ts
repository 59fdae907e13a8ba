import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { isLocale, negotiateLocale, LOCALE_COOKIE } from "./locales";
import { loadMessages } from "./messages";
import { FORMATS } from "./formats";

export default getRequestConfig(async () => {
  const cookieLocale = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(cookieLocale) ? cookieLocale : negotiateLocale((await headers()).get("accept-language"));
  return {
    locale,
    messages: loadMessages(locale),
    timeZone: process.env.ORQ_TIME_ZONE ?? "UTC",
    formats: FORMATS,
  };
});
