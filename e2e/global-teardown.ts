// Stops the moto server global setup started, by its pid, and the OpenID Connect provider.
export default async function globalTeardown() {
  // The OpenID Connect provider global setup started in this process.
  await (globalThis as { orqE2eIdp?: { stop: () => Promise<void> } }).orqE2eIdp?.stop();
  const pid = Number(process.env.ORQ_E2E_MOTO_PID);
  if (!pid) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}
