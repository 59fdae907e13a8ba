// Named formats shared by pages (i18n/request.ts) and e-mails (lib/email/render.ts).
export const FORMATS = {
  dateTime: {
    short: { day: "numeric", month: "short", year: "numeric" },
    long: { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
  },
} as const;
