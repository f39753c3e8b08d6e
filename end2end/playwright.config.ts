import { defineConfig } from "@playwright/test";

// Debian's Chromium (never a downloaded browser), at a phone viewport, with JavaScript on
// and off: every form must work before the WASM arrives.
const port = Number(process.env.E2E_PORT ?? 3100);
const phone = {
  viewport: { width: 360, height: 780 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: "zh-CN",
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    // A fake camera and microphone (a moving test pattern, a beep), allowed without a prompt:
    // the host console's broadcast is tested with them (live_video.spec.ts).
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
  },
};

export default defineConfig({
  testDir: "./tests",
  // A ceiling, not a speed test: every page a test opens is also checked by axe (helpers.ts).
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: "off", screenshot: "only-on-failure" },
  projects: [
    { name: "js", use: { ...phone, javaScriptEnabled: true } },
    { name: "nojs", use: { ...phone, javaScriptEnabled: false } },
  ],
  webServer: {
    command: "bash start-server.sh",
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
