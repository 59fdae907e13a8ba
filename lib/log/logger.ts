import pino from "pino";

export const logger = pino({
  level: process.env.ORQ_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: process.env.ORQ_PROCESS ?? "web" },
});
