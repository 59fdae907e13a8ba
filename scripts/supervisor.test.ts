// The process supervisor with real child processes (node and sh), no mocks.
import { afterEach, describe, expect, it } from "vitest";
import { signalGroup, superviseProcess, type ExitInfo, type SupervisedProcess } from "./supervisor";
import { waitFor } from "../test/wait";

const node = process.execPath;
const started: SupervisedProcess[] = [];
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function supervise(spec: Omit<Parameters<typeof superviseProcess>[0], "log"> & { log?: (m: string) => void }) {
  const lines: string[] = [];
  const p = superviseProcess({ stdio: "ignore", ...spec, log: (m) => (lines.push(m), spec.log?.(m)) });
  started.push(p);
  return { p, lines };
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

// Real processes on a busy machine: more than the unit default of 5 s, and every wait below
// ends well inside it.
describe("superviseProcess", { timeout: 30_000 }, () => {
  it("restarts a crashing child with doubling delays, says why, and a stop cancels a pending restart", async () => {
    const { p, lines } = supervise({
      name: "crasher",
      command: node,
      args: ["-e", "process.exit(3)"],
      backoff: { initialMs: 50, maxMs: 200, resetAfterMs: 60_000 },
    });
    await waitFor("four restarts", () => p.restarts() >= 4, { timeoutMs: 15_000 });
    const restartLines = lines.filter((l) => l.includes("restarting"));
    expect(restartLines.slice(0, 4)).toEqual([
      expect.stringMatching(/^crasher exited with code 3 after \d+\.\d s; restarting in 50 ms \(restart 1\)$/),
      expect.stringMatching(/restarting in 100 ms \(restart 2\)$/),
      expect.stringMatching(/restarting in 200 ms \(restart 3\)$/),
      expect.stringMatching(/restarting in 200 ms \(restart 4\)$/),
    ]);
    await p.stop();
    const after = p.restarts();
    const spawned = lines.filter((l) => l.startsWith("crasher started")).length;
    // Longer than the longest delay: nothing starts again after a stop.
    await new Promise((r) => setTimeout(r, 600));
    expect(p.restarts()).toBe(after);
    expect(lines.filter((l) => l.startsWith("crasher started")).length).toBe(spawned);
    expect(p.pid()).toBeUndefined();
  });

  it("reports the signal of a killed child and runs it again under a new pid", async () => {
    const { p, lines } = supervise({ name: "sleeper", command: node, args: ["-e", "setInterval(() => {}, 1000)"], backoff: { initialMs: 20 } });
    const first = await waitFor("a pid", () => p.pid());
    process.kill(first, "SIGKILL");
    const second = await waitFor("a new pid", () => (p.pid() && p.pid() !== first ? p.pid() : null));
    expect(alive(second!)).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^sleeper was killed by SIGKILL after \d+\.\d s; restarting in 20 ms \(restart 1\)$/));
  });

  it("starts again from the first delay after a run that lasted", async () => {
    const { p, lines } = supervise({
      name: "steady",
      command: node,
      args: ["-e", "setTimeout(() => process.exit(1), 400)"],
      backoff: { initialMs: 30, maxMs: 1000, resetAfterMs: 300 },
    });
    await waitFor("three restarts", () => p.restarts() >= 3, { timeoutMs: 15_000 });
    expect(lines.filter((l) => l.includes("restarting")).slice(0, 3).every((l) => l.includes("restarting in 30 ms"))).toBe(true);
  });

  it("gives up when told to, and hands the exit to the caller", async () => {
    let gaveUp: ExitInfo | null = null;
    const { p, lines } = supervise({ name: "web", command: node, args: ["-e", "process.exit(7)"], restart: () => false, onGiveUp: (e) => (gaveUp = e) });
    const exit = await waitFor("give up", () => gaveUp);
    expect(exit).toMatchObject({ code: 7, signal: null });
    expect(p.restarts()).toBe(0);
    expect(lines).toContainEqual(expect.stringMatching(/^web exited with code 7 after/));
  });

  it("stops the whole process group, and kills what ignores SIGTERM after the grace period", async () => {
    // A shell with a background child: both are in the supervised group.
    let out = "";
    const { p } = supervise({
      name: "group",
      command: "sh",
      args: ["-c", "sleep 300 & echo $!; wait"],
      stdio: ["ignore", "pipe", "ignore"],
      onSpawn: (c) => c.stdout!.on("data", (d: Buffer) => (out += d.toString())),
    });
    const leader = await waitFor("a pid", () => p.pid());
    const grandchild = await waitFor("the background pid", () => Number(out.trim()) || null);
    expect(alive(grandchild)).toBe(true);
    const exit = await p.stop();
    expect(exit?.signal).toBe("SIGTERM");
    await waitFor("the background child gone", () => !alive(grandchild) || null, { timeoutMs: 5000 });
    expect(signalGroup(leader, 0)).toBe(false);

    let ready = false;
    const stubborn = supervise({
      name: "stubborn",
      command: node,
      args: ["-e", "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"],
      stdio: ["ignore", "pipe", "ignore"],
      onSpawn: (c) => c.stdout!.on("data", () => (ready = true)),
      stopTimeoutMs: 300,
    });
    // Once it says so, it ignores SIGTERM.
    await waitFor("its SIGTERM handler", () => ready || null);
    const killed = await stubborn.p.stop();
    expect(killed?.signal).toBe("SIGKILL");
    expect(stubborn.lines).toContainEqual("stubborn did not stop within 0.3 s; killing it");
  });

  it("kills what a crashed child left behind in its group", async () => {
    const { p, lines } = supervise({ name: "leaky", command: "sh", args: ["-c", "sleep 300 & echo $! > /dev/null; sleep 0.3; exit 5"], backoff: { initialMs: 10_000 } });
    const leader = await waitFor("a pid", () => p.pid());
    await waitFor("the crash", () => lines.some((l) => l.startsWith("leaky exited with code 5")) || null, { timeoutMs: 10_000 });
    await waitFor("nothing left in the group", () => !signalGroup(leader, 0) || null, { timeoutMs: 5000 });
  });
});
