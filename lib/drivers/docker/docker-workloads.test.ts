import { describe, expect, it } from "vitest";
import { demuxLogs } from "./docker-workloads";
import { workloadResourceName } from "../workload-types";

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const head = Buffer.alloc(8);
  head[0] = stream;
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
};

describe("docker workload helpers", () => {
  it("demultiplexes Docker's stdout/stderr log frames, and passes a TTY stream through", () => {
    expect(demuxLogs(Buffer.concat([frame(1, "out 1\n"), frame(2, "err 1\n"), frame(1, "out 2\n")]))).toBe("out 1\nerr 1\nout 2\n");
    expect(demuxLogs(Buffer.from("plain tty text\n"))).toBe("plain tty text\n");
    expect(demuxLogs(Buffer.alloc(0))).toBe("");
  });

  it("names resources as DNS-1123 labels from the name and id", () => {
    expect(workloadResourceName("Web App!", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")).toBe("web-app-6f1c2a3b");
    expect(workloadResourceName("---", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")).toBe("app-6f1c2a3b");
    expect(workloadResourceName("x".repeat(80), "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")).toMatch(/^[a-z0-9-]{1,63}$/);
  });
});
