// Helpers for the drivers' native backup export/restore (capability "backup"): an export
// stream that removes its provider-side staging (committed image, LXD backup, disk copy) once
// it has been read to the end OR failed, and a digest of a backup source used as the marker
// of a finished restore (so a retried restore recognises its own work).
import { createHash } from "node:crypto";
import { PassThrough, pipeline } from "node:stream";
import type { BackupSource } from "./types";

/**
 * Returns a stream of `source`'s bytes that runs `cleanup` exactly once when the bytes have
 * all passed, when the source fails, or when the consumer gives up (destroys the stream).
 * `onCleaned` (tests, logs) learns when the cleanup has finished.
 */
export function streamWithCleanup(source: NodeJS.ReadableStream, cleanup: () => Promise<void>): NodeJS.ReadableStream {
  const out = new PassThrough();
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    void cleanup().catch(() => {});
  };
  pipeline(source, out, () => finish());
  out.once("close", finish);
  return out;
}

/** SHA-256 of a backup source's bytes (hex). */
export async function sourceDigest(source: BackupSource): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of source.open() as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest("hex");
}
