// The simulator's synthetic load (config loadProfile, loadPercent, loadPeriodSeconds): what CPU
// utilisation its running machines report at a moment, so monitoring charts and scaling
// groups can be demonstrated and tested without real work. Pure functions of time.
export type SimLoadProfile = "idle" | "constant" | "sine" | "steps";

export interface SimLoadConfig {
  profile: SimLoadProfile;
  /** constant: the level; sine: the peak (the trough is 5 %); steps: the high step. */
  percent: number;
  /** sine: one full period; steps: how long each step lasts. */
  periodSeconds: number;
}

export const SIM_IDLE_PERCENT = 5;

export function simLoadConfig(config: Record<string, unknown>): SimLoadConfig {
  const profile = (["idle", "constant", "sine", "steps"] as const).find((p) => p === config.loadProfile) ?? "idle";
  const percent = typeof config.loadPercent === "number" && Number.isFinite(config.loadPercent) ? Math.min(100, Math.max(0, config.loadPercent)) : 80;
  const periodSeconds = typeof config.loadPeriodSeconds === "number" && config.loadPeriodSeconds > 0 ? config.loadPeriodSeconds : 600;
  return { profile, percent, periodSeconds };
}

/** CPU utilisation (0..100) the profile gives at `at`. */
export function simLoadPercent(cfg: SimLoadConfig, at: Date): number {
  const t = at.getTime() / 1000;
  switch (cfg.profile) {
    case "idle":
      return SIM_IDLE_PERCENT;
    case "constant":
      return cfg.percent;
    case "sine": {
      const low = Math.min(SIM_IDLE_PERCENT, cfg.percent);
      const phase = (2 * Math.PI * (t % cfg.periodSeconds)) / cfg.periodSeconds;
      return low + ((cfg.percent - low) * (1 - Math.cos(phase))) / 2;
    }
    case "steps":
      // Low, then high, each for one period, aligned on the epoch (so every sampler agrees).
      return Math.floor(t / cfg.periodSeconds) % 2 === 0 ? Math.min(SIM_IDLE_PERCENT, cfg.percent) : cfg.percent;
  }
}

/**
 * A whole reading at `at`: cumulative counters grow at steady rates from the epoch (monotonic,
 * so two readings give non-negative amounts), memory in use follows the load.
 */
export function simReading(cfg: SimLoadConfig, at: Date, machine: { vcpu: number; memoryMb: number }) {
  const cpuPercent = simLoadPercent(cfg, at);
  const s = at.getTime() / 1000;
  const memoryTotalBytes = machine.memoryMb * 1024 * 1024;
  return {
    at,
    cpuPercent,
    vcpu: machine.vcpu,
    memoryUsedBytes: Math.round(memoryTotalBytes * (0.2 + (0.6 * cpuPercent) / 100)),
    memoryTotalBytes,
    diskReadBytes: Math.round(s * 40_000),
    diskWriteBytes: Math.round(s * 20_000),
    netInBytes: Math.round(s * 12_000),
    netOutBytes: Math.round(s * 8_000),
  };
}
