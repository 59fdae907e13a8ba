// The LXD console's exit marker (LXD 5.0.2 keeps an exec open after its shell exits): found
// whole or split across chunks, taken out of the output; another nonce or a look-alike passes.
import { describe, expect, it } from "vitest";
import { exitMarkerScanner } from "./lxd-driver";

const NONCE = "0123456789abcdef";
const marker = (status: number, nonce = NONCE) => `\x1b]7770;orq-exit;${nonce};${status}\x07`;

function feed(chunks: string[], nonce = NONCE) {
  const exits: number[] = [];
  const scan = exitMarkerScanner(nonce, (s) => exits.push(s));
  const out = chunks.map((c) => scan(Buffer.from(c, "latin1")).toString("latin1")).join("");
  return { out, exits };
}

describe("LXD console exit marker", () => {
  it("ends at the marker with its status, whole or split anywhere", () => {
    expect(feed([`exit 3\r\n${marker(3)}`])).toEqual({ out: "exit 3\r\n", exits: [3] });
    const whole = `bye\r\n${marker(0)}`;
    for (let i = 1; i < whole.length; i++) expect(feed([whole.slice(0, i), whole.slice(i)]), `split at ${i}`).toEqual({ out: "bye\r\n", exits: [0] });
    // One byte at a time; what follows the marker is dropped; a second marker is not reported.
    expect(feed([...`${marker(127)}tail${marker(1)}`])).toEqual({ out: "", exits: [127] });
  });

  it("passes on output that only looks like it", () => {
    const other = `x${marker(0, "ffffffffffffffff")}y`;
    expect(feed([other])).toEqual({ out: other, exits: [] });
    const bad = `\x1b]7770;orq-exit;${NONCE};abc\x07 after`;
    expect(feed([bad])).toEqual({ out: bad, exits: [] });
    // An escape sequence at a chunk's end that is no marker is held only until it cannot be one.
    expect(feed(["\x1b[6n", "ls\r\n"])).toEqual({ out: "\x1b[6nls\r\n", exits: [] });
    expect(feed(["a\x1b]77", "9;title\x07b"])).toEqual({ out: "a\x1b]779;title\x07b", exits: [] });
  });
});
