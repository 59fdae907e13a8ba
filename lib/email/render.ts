// E-mails in the recipient's language: subject, a plain-text part and an HTML part with the
// same content (every client can read one of them). Words come from messages/<locale>/
// email.json and, for notifications, the same sentence the bell shows (lib/notifications/
// sentence.ts). Every value is escaped in the HTML part; links are absolute (ORQ_PUBLIC_URL).
// use-intl/core (what next-intl re-exports) has no React: this runs in the worker and in scripts too.
import { createFormatter, createTranslator } from "use-intl/core";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../../i18n/locales";
import { loadMessages } from "../../i18n/messages";
import { FORMATS } from "../../i18n/formats";
import { kindKey, isNotificationKind } from "../notifications/kinds";
import { notificationSentence, notificationValues } from "../notifications/sentence";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Values = Record<string, string | number>;

export function emailLocale(v: unknown): Locale {
  return isLocale(v) ? v : DEFAULT_LOCALE;
}

function translators(locale: Locale) {
  const messages = loadMessages(locale);
  const timeZone = process.env.ORQ_TIME_ZONE || "UTC";
  const mk = (namespace: string) => {
    const t = createTranslator({ locale, messages, namespace: namespace as never, formats: FORMATS, timeZone });
    return (key: string, values?: Values) => (t as unknown as (k: string, v?: Values) => string)(key, values);
  };
  const format = createFormatter({ locale, timeZone, formats: FORMATS });
  return {
    email: mk("email"),
    notifications: mk("notifications"),
    machines: mk("machines"),
    date: (d: Date) => format.dateTime(d, "short"),
    money: (cents: number, currency: string) => format.number(cents / 100, { style: "currency", currency }),
    dateTime: (d: Date) => format.dateTime(d, "long"),
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface Layout {
  locale: Locale;
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** Bulleted lines (a digest). */
  items?: { text: string; url?: string }[];
  action?: { label: string; url: string };
  after?: string[];
  footer: string;
  footerLink?: { label: string; url: string };
}

function layout(l: Layout): RenderedEmail {
  const text = [
    l.greeting,
    "",
    ...l.paragraphs.flatMap((p) => [p, ""]),
    ...(l.items?.length ? [...l.items.map((i) => `- ${i.text}${i.url ? `\n  ${i.url}` : ""}`), ""] : []),
    ...(l.action ? [`${l.action.label}: ${l.action.url}`, ""] : []),
    ...(l.after ?? []).flatMap((p) => [p, ""]),
    "-- ",
    l.footer + (l.footerLink ? `\n${l.footerLink.label}: ${l.footerLink.url}` : ""),
    "",
  ].join("\n");
  const p = (s: string) => `<p style="margin:0 0 16px 0">${esc(s)}</p>`;
  const html = [
    `<!doctype html><html lang="${esc(l.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(l.subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f8fafc;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#0f172a">`,
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:8px;padding:24px">`,
    `<p style="margin:0 0 16px 0;font-weight:bold;color:#4338ca">Orquestra</p>`,
    p(l.greeting),
    ...l.paragraphs.map(p),
    l.items?.length
      ? `<ul style="margin:0 0 16px 0;padding-left:20px">${l.items.map((i) => `<li style="margin:0 0 8px 0">${i.url ? `<a href="${esc(i.url)}" style="color:#4338ca">${esc(i.text)}</a>` : esc(i.text)}</li>`).join("")}</ul>`
      : "",
    l.action
      ? `<p style="margin:0 0 16px 0"><a href="${esc(l.action.url)}" style="display:inline-block;background:#4338ca;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px">${esc(l.action.label)}</a></p>`
      : "",
    ...(l.after ?? []).map(p),
    `<hr style="border:none;border-top:1px solid #e2e8f0;margin:24px 0 12px 0">`,
    `<p style="margin:0;font-size:13px;color:#475569">${esc(l.footer)}${l.footerLink ? ` <a href="${esc(l.footerLink.url)}" style="color:#4338ca">${esc(l.footerLink.label)}</a>` : ""}</p>`,
    `</div></body></html>`,
  ].join("");
  return { subject: l.subject, text, html };
}

const abs = (base: string, link: string | null | undefined) => (link ? `${base}${link.startsWith("/") ? link : `/${link}`}` : null);

export interface NotificationEmailInput {
  locale: unknown;
  name: string;
  kind: string;
  params: Record<string, unknown>;
  link: string | null;
  baseUrl: string;
}

export function renderNotificationEmail(n: NotificationEmailInput): RenderedEmail {
  const locale = emailLocale(n.locale);
  const tr = translators(locale);
  const values = notificationValues(n.params, tr);
  const subject = isNotificationKind(n.kind) ? tr.email(`subjects.${kindKey(n.kind)}`, values) : tr.email("subjects.other");
  const url = abs(n.baseUrl, n.link);
  return layout({
    locale,
    subject,
    greeting: tr.email("greeting", { name: n.name }),
    paragraphs: [notificationSentence(n.kind, n.params, tr)],
    action: url ? { label: tr.email("open"), url } : undefined,
    footer: tr.email("footer"),
    footerLink: { label: tr.email("settingsLink"), url: `${n.baseUrl}/settings/notifications` },
  });
}

export function renderDigestEmail(d: { locale: unknown; name: string; items: { kind: string; params: Record<string, unknown>; link: string | null; at: Date }[]; baseUrl: string }): RenderedEmail {
  const locale = emailLocale(d.locale);
  const tr = translators(locale);
  return layout({
    locale,
    subject: tr.email("digest.subject", { count: d.items.length }),
    greeting: tr.email("greeting", { name: d.name }),
    paragraphs: [tr.email("digest.intro", { count: d.items.length })],
    items: d.items.map((i) => ({ text: `${tr.dateTime(i.at)}: ${notificationSentence(i.kind, i.params, tr)}`, url: abs(d.baseUrl, i.link) ?? undefined })),
    action: { label: tr.email("open"), url: `${d.baseUrl}/dashboard` },
    footer: tr.email("digest.footer"),
    footerLink: { label: tr.email("settingsLink"), url: `${d.baseUrl}/settings/notifications` },
  });
}

export function renderInvitationEmail(i: { locale: unknown; name: string; inviter: string; url: string; expiresAt: Date; baseUrl: string }): RenderedEmail {
  const locale = emailLocale(i.locale);
  const tr = translators(locale);
  return layout({
    locale,
    subject: tr.email("invitation.subject"),
    greeting: tr.email("greeting", { name: i.name }),
    paragraphs: [tr.email("invitation.body", { inviter: i.inviter })],
    action: { label: tr.email("invitation.button"), url: i.url },
    after: [tr.email("invitation.expires", { expiresAt: tr.dateTime(i.expiresAt) })],
    footer: tr.email("invitation.footer", { baseUrl: i.baseUrl }),
  });
}

export function renderTestEmail(x: { locale: unknown; name: string; sender: string; baseUrl: string }): RenderedEmail {
  const locale = emailLocale(x.locale);
  const tr = translators(locale);
  return layout({
    locale,
    subject: tr.email("test.subject"),
    greeting: tr.email("greeting", { name: x.name }),
    paragraphs: [tr.email("test.body", { sender: x.sender })],
    action: { label: tr.email("open"), url: `${x.baseUrl}/dashboard` },
    footer: tr.email("test.footer"),
  });
}
