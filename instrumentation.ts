// Runs once when a web server process starts (Next.js instrumentation hook).
export async function register() {
  // The browser console's WebSocket server (lib/console), in the Node.js server only.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installConsoleServer } = await import("./lib/console/install");
  installConsoleServer();
}
