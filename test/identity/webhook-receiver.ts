// A webhook receiver for tests, on 127.0.0.1: records every request (headers and raw body)
// and answers as the test says (a status per call, or no answer at all).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: Date;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Status codes for the next calls, in order; then `fallback`. "hang" never answers. */
  script: (number | "hang")[];
  fallback: number | "hang";
  stop: () => Promise<void>;
}

export async function startWebhookReceiver(opts: { fallback?: number | "hang"; path?: string } = {}): Promise<WebhookReceiver> {
  const r: Omit<WebhookReceiver, "url" | "port" | "stop"> = { received: [], script: [], fallback: opts.fallback ?? 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      r.received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: new Date() });
      const next = r.script.length ? r.script.shift()! : r.fallback;
      if (next === "hang") return; // never answers: the sender's timeout must end it
      res.writeHead(next, { "content-type": "text/plain" });
      res.end(next >= 200 && next < 300 ? "ok" : `failing with ${next}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(r, {
    port,
    url: `http://127.0.0.1:${port}${opts.path ?? "/hooks/orquestra"}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as WebhookReceiver;
}
