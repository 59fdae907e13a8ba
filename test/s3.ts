// A real S3-compatible server for tests (npm s3rver), on loopback, in a temporary directory,
// stopped by its handle. Its credentials are fixed: S3RVER / S3RVER.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where s3rver keeps the objects (files). */
  directory: string;
  stop: () => Promise<void>;
}

export async function startS3(bucket = "orq-backups"): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "orq-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    directory,
    stop: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
