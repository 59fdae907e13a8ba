// The S3-compatible object store backups go to (AWS S3, MinIO, Ceph RGW, moto, s3rver): the
// AWS SDK's S3 client, with uploads streamed through lib-storage (multipart above 8 MiB) and a
// SHA-256 computed on the bytes as they pass, so a backup's checksum is of exactly what was
// stored. Downloads are written to a temporary file and hashed on the way: a restore reads
// only a file whose checksum matched. Worker side only.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { open as openSealed } from "../crypto/seal";

export interface BackupTargetRow {
  id: string;
  name: string;
  endpoint: string;
  region: string;
  bucket: string;
  prefix: string;
  forcePathStyle: boolean;
  credentialsEnc: string | null;
}

export interface StoredObject {
  sizeBytes: number;
  sha256: string;
}

export class ObjectStoreError extends Error {
  constructor(
    message: string,
    /** Worth trying again (the store did not answer, a 5xx). */
    public readonly retryable: boolean,
  ) {
    super(message);
    this.name = "ObjectStoreError";
  }
}

/** Access key and secret, sealed with the target id as associated data. */
export function targetCredentials(t: BackupTargetRow): { accessKeyId: string; secretAccessKey: string } {
  if (!t.credentialsEnc) throw new ObjectStoreError(`Backup target ${t.name} has no credentials`, false);
  const c = JSON.parse(openSealed(t.credentialsEnc, { associatedData: t.id })) as { accessKeyId?: string; secretAccessKey?: string };
  if (!c.accessKeyId || !c.secretAccessKey) throw new ObjectStoreError(`Backup target ${t.name} has incomplete credentials`, false);
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
}

function toStoreError(err: unknown, what: string): ObjectStoreError {
  if (err instanceof ObjectStoreError) return err;
  if (err instanceof S3ServiceException) {
    const status = err.$metadata?.httpStatusCode ?? 0;
    return new ObjectStoreError(`${what}: ${err.name}${err.message && err.message !== err.name ? ` (${err.message.slice(0, 200)})` : ""}`, status >= 500 || status === 429);
  }
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === "AbortError" || e?.name === "TimeoutError") return new ObjectStoreError(`${what}: no answer in time`, true);
  return new ObjectStoreError(`${what}: ${e?.code ?? e?.message ?? String(err)}`, true);
}

export class ObjectStore {
  private readonly client: S3Client;

  constructor(private readonly target: BackupTargetRow) {
    const credentials = targetCredentials(target);
    this.client = new S3Client({
      endpoint: target.endpoint,
      region: target.region,
      forcePathStyle: target.forcePathStyle,
      credentials,
      // Checksums only where the API demands them: S3-compatible stores (older MinIO, Ceph,
      // s3rver) reject the SDK's default trailing CRC32 on streamed uploads. We compute SHA-256.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
    });
  }

  /** The key of an object under the target's prefix. */
  key(rel: string): string {
    const prefix = this.target.prefix.replace(/^\/+/, "");
    return prefix ? `${prefix.replace(/\/?$/, "/")}${rel}` : rel;
  }

  /** Checks the bucket exists and the credentials may read it ("Test connection"). */
  async check(signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.target.bucket }), { abortSignal: signal });
    } catch (err) {
      throw toStoreError(err, `Bucket ${this.target.bucket} at ${this.target.endpoint}`);
    }
  }

  /** Streams `body` to `key`, hashing it on the way; metadata is stored with the object. */
  async put(key: string, body: NodeJS.ReadableStream, metadata: Record<string, string>, signal?: AbortSignal): Promise<StoredObject> {
    const hash = createHash("sha256");
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const pass = new PassThrough();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.target.bucket, Key: key, Body: pass, ContentType: "application/octet-stream", Metadata: metadata },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort().catch(() => {});
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await Promise.all([pipeline(body as NodeJS.ReadableStream, tap, pass, { signal }), upload.done()]);
    } catch (err) {
      throw toStoreError(err, `Upload of ${key}`);
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    return { sizeBytes: size, sha256: hash.digest("hex") };
  }

  /** Size and stored metadata of an object (null: no such object). */
  async head(key: string, signal?: AbortSignal): Promise<{ sizeBytes: number; metadata: Record<string, string> } | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.target.bucket, Key: key }), { abortSignal: signal });
      return { sizeBytes: Number(r.ContentLength ?? 0), metadata: r.Metadata ?? {} };
    } catch (err) {
      if (err instanceof S3ServiceException && (err.$metadata?.httpStatusCode === 404 || err.name === "NotFound")) return null;
      throw toStoreError(err, `Reading ${key}`);
    }
  }

  /**
   * Downloads `key` into a new temporary file, hashing it; returns the file (the caller
   * removes it with `dispose`) with its size and SHA-256.
   */
  async download(key: string, signal?: AbortSignal): Promise<StoredObject & { file: string; dispose: () => Promise<void> }> {
    const dir = await fs.promises.mkdtemp(path.join(process.env.ORQ_BACKUP_TMP_DIR || os.tmpdir(), "orq-restore-"));
    const file = path.join(dir, "image");
    const dispose = () => fs.promises.rm(dir, { recursive: true, force: true });
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.target.bucket, Key: key }), { abortSignal: signal });
      if (!r.Body) throw new ObjectStoreError(`Object ${key} has no content`, false);
      const hash = createHash("sha256");
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          cb(null, chunk);
        },
      });
      await pipeline(r.Body as NodeJS.ReadableStream, tap, fs.createWriteStream(file), { signal });
      return { file, dispose, sizeBytes: size, sha256: hash.digest("hex") };
    } catch (err) {
      await dispose();
      if (err instanceof S3ServiceException && (err.$metadata?.httpStatusCode === 404 || err.name === "NoSuchKey")) {
        throw new ObjectStoreError(`The backup object ${key} is missing from the store`, false);
      }
      throw toStoreError(err, `Download of ${key}`);
    }
  }

  /** Removes an object; an object already gone is fine. */
  async delete(key: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.target.bucket, Key: key }), { abortSignal: signal });
    } catch (err) {
      if (err instanceof S3ServiceException && err.$metadata?.httpStatusCode === 404) return;
      throw toStoreError(err, `Deleting ${key}`);
    }
  }

  close(): void {
    this.client.destroy();
  }
}
