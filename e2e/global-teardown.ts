// Stops the moto server global setup started, by its pid.
export default async function globalTeardown() {
  const pid = Number(process.env.ORQ_E2E_MOTO_PID);
  if (!pid) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}
