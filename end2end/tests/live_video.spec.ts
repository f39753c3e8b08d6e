import { expect, Page } from "@playwright/test";
import { jsOn, newPerson, personPage, ready, scheduleLive, test } from "./helpers";

// The host broadcasts from the console with the phone's camera (Chromium's fake camera here),
// through linli's own relay; residents watch in the room.
test.describe.configure({ timeout: 120_000 });

const MANAGER = "13900000011"; // 刘店长, the first store
const RESIDENT = "13800000003"; // 张女士

/** Where the clock camera draws its 24 squares (bit i at column i % 8, row i / 8). */
const CLOCK = { left: 40, top: 60, across: 70, down: 90, side: 60 };
type Clock = typeof CLOCK;

type Painted = { frames: number; firstMs: number; width: number; duration: number; delays: number[] };

/** What the page's `selector` video paints over `ms` (requestVideoFrameCallback): how many
 * frames, when the first came (since the page began), how wide, the video's duration. With
 * `play`, muted playback is started first (a replay); with `clock`, each frame's squares are
 * read back (see clockCamera) and `delays` gets the viewer's clock minus the picture's.
 * (Chromium gives these frames no captureTime, hence the clock.) */
async function paints(page: Page, selector: string, ms: number, opts: { play?: boolean; clock?: Clock } = {}): Promise<Painted> {
  return page.evaluate(({ selector, ms, play, clock }) => new Promise<Painted>((resolve) => {
    const video = document.querySelector(selector) as HTMLVideoElement;
    const out: Painted = { frames: 0, firstMs: -1, width: 0, duration: NaN, delays: [] };
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 360;
    const g = canvas.getContext("2d", { willReadFrequently: true })!;
    const tick = (now: number, meta: any) => {
      out.frames++;
      if (out.firstMs < 0) out.firstMs = Math.round(now);
      out.width = meta.width;
      if (clock) {
        const seen = Date.now();
        g.drawImage(video, 0, 0, 640, 360);
        let t = 0;
        for (let bit = 0; bit < 24; bit++) {
          const x = clock.left + (bit % 8) * clock.across + clock.side / 2;
          const y = clock.top + Math.floor(bit / 8) * clock.down + clock.side / 2;
          if (g.getImageData(x, y, 1, 1).data[0] > 128) t |= 1 << bit;
        }
        out.delays.push(((seen & 0xffffff) - t + 0x1000000) % 0x1000000);
      }
      (video as any).requestVideoFrameCallback(tick);
    };
    (video as any).requestVideoFrameCallback(tick);
    if (play) {
      video.muted = true;
      video.play().catch(() => {});
    }
    setTimeout(() => resolve({ ...out, duration: video.duration }), ms);
  }), { selector, ms, play: opts.play ?? false, clock: opts.clock });
}

const LIVE = "video[data-whep]";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

test("the host broadcasts from the console; two residents see the picture move, then 主播暂时离开 when it stops, and it comes back by itself", async ({ browser }, info) => {
  test.skip(!jsOn(info), "the camera and WebRTC need JavaScript (the room without it is in live.spec.ts)");
  const manager = await personPage(browser, info, MANAGER, "/admin/live");
  const { id } = await scheduleLive(manager, "现场直播·今晚的鱼");
  await ready(manager, info);
  await manager.getByRole("button", { name: "开始直播" }).click();
  await expect(manager.locator(".live-badge").first()).toHaveText("直播中");

  // One tap: the camera opens, the preview shows, the broadcast starts.
  await manager.getByRole("button", { name: "开始推流" }).click();
  await expect(manager.locator("[data-cam-state]")).toContainText("正在推流");
  await expect(manager.getByRole("button", { name: "停止推流" })).toBeVisible();
  await expect(manager.locator("[data-cam-health]")).toContainText("上行");
  await manager.locator("#camera").scrollIntoViewIfNeeded();
  await manager.screenshot({ path: "test-results/live-video-console.png" });

  // A guest and a signed-in resident open the room.
  const guest = await newPerson(browser, info);
  await guest.goto(`/live/${id}`);
  const resident = await personPage(browser, info, RESIDENT, `/live/${id}`);
  for (const viewer of [guest, resident]) {
    await ready(viewer, info);
    await expect(viewer.locator(".live-rtc")).toHaveAttribute("data-video", "on_air");
    const seen = await paints(viewer, LIVE, 3000);
    expect(seen.frames, "frames painted in 3 s").toBeGreaterThanOrEqual(30);
    expect(seen.width).toBeGreaterThan(0);
    console.log(`video: ${seen.frames} frames in 3 s, ${seen.width} px wide`);
  }
  const opened = await newPerson(browser, info);
  await opened.goto(`/live/${id}`);
  const fresh = await paints(opened, LIVE, 5000);
  expect(fresh.frames).toBeGreaterThan(0);
  expect(fresh.firstMs, "first frame within 5 s of opening the room").toBeLessThan(5000);
  console.log(`video: first frame ${fresh.firstMs} ms after opening the room`);
  // Sound stays off until tapped (browsers' autoplay rule).
  await expect(guest.getByRole("button", { name: "点这里开声音" })).toBeVisible();
  await guest.getByRole("button", { name: "点这里开声音" }).click();
  await expect(guest.getByRole("button", { name: "点这里开声音" })).toBeHidden();
  expect(await guest.locator(LIVE).evaluate((v: HTMLVideoElement) => v.muted)).toBe(false);
  await guest.screenshot({ path: "test-results/live-video-room.png" });

  // The host stops: every room says so. Then the host streams again and the picture returns
  // without anyone reloading.
  await manager.getByRole("button", { name: "停止推流" }).click();
  await expect(manager.locator("[data-cam-state]")).toContainText("已停止推流");
  for (const viewer of [guest, resident]) {
    await expect(viewer.locator(".live-rtc-away")).toBeVisible();
    await expect(viewer.locator(".live-rtc-away")).toHaveText("主播暂时离开，马上回来");
  }
  await resident.screenshot({ path: "test-results/live-video-away.png" });
  await manager.getByRole("button", { name: "开始推流" }).click();
  await expect(manager.locator("[data-cam-state]")).toContainText("正在推流");
  for (const viewer of [guest, resident]) {
    await expect(viewer.locator(".live-rtc")).toHaveAttribute("data-video", "on_air");
    await expect.poll(async () => (await paints(viewer, LIVE, 1000)).frames, { timeout: 10_000 }).toBeGreaterThan(5);
  }

  // The end: the room says so and the console's camera card goes.
  await manager.locator("summary", { hasText: "结束直播" }).click();
  await manager.getByRole("button", { name: "确定结束" }).click();
  await expect(manager.locator(".live-badge").first()).toHaveText("已结束");
  await expect(resident.locator(".live-badge").first()).toHaveText("已结束");
  await expect(manager.locator("#camera")).toHaveCount(0);

  // 回放: the ended room plays what was broadcast (recorded by the relay while live).
  // (The file is closed within seconds of the end; its length is known from then.)
  await expect.poll(async () => {
    const res = await resident.request.get(`/api/v1/live-sessions/${id}`);
    return (await res.json()).replays?.[0]?.duration_ms ?? 0;
  }, { timeout: 20_000 }).toBeGreaterThan(0);
  await resident.reload();
  await expect(resident.locator("video[data-replays]")).toHaveCount(1);
  await ready(resident, info);
  const played = await paints(resident, "video[data-replays]", 3000, { play: true });
  console.log(`replay: ${played.duration.toFixed(1)} s long, ${played.frames} frames painted in 3 s, ${played.width} px wide`);
  expect(played.frames).toBeGreaterThan(10);
  expect(Number.isFinite(played.duration) && played.duration > 2).toBe(true);
  await resident.screenshot({ path: "test-results/live-video-replay.png" });
});

/** Replaces the camera with a canvas showing the page's clock: Date.now()'s low 24 bits as
 * 24 black or white squares, redrawn every 10 ms, plus a silent microphone. A viewer in the
 * same browser reads the squares back from each painted frame, so "now − the time in the
 * picture" is the whole path: capture, encode, the relay, jitter buffer, decode, paint. */
function clockCamera(clock: Clock) {
  navigator.mediaDevices.getUserMedia = async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 360;
    const g = canvas.getContext("2d")!;
    const draw = () => {
      const t = Date.now() & 0xffffff;
      g.fillStyle = "#808080";
      g.fillRect(0, 0, 640, 360);
      for (let bit = 0; bit < 24; bit++) {
        g.fillStyle = (t >> bit) & 1 ? "#ffffff" : "#000000";
        g.fillRect(clock.left + (bit % 8) * clock.across, clock.top + Math.floor(bit / 8) * clock.down, clock.side, clock.side);
      }
    };
    draw();
    setInterval(draw, 10);
    const stream = canvas.captureStream(30);
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const out = audio.createMediaStreamDestination();
    tone.connect(out);
    tone.start();
    stream.addTrack(out.stream.getAudioTracks()[0]);
    return stream;
  };
}

test("glass to glass: the clock the host's camera shows is on the resident's screen a moment later", async ({ browser }, info) => {
  test.skip(!jsOn(info), "the camera and WebRTC need JavaScript");
  const manager = await personPage(browser, info, MANAGER, "/admin/live");
  await manager.addInitScript(clockCamera, CLOCK);
  const { id } = await scheduleLive(manager, "现场直播·看时钟");
  await ready(manager, info);
  await manager.getByRole("button", { name: "开始直播" }).click();
  await manager.getByRole("button", { name: "开始推流" }).click();
  await expect(manager.locator("[data-cam-state]")).toContainText("正在推流");

  const resident = await personPage(browser, info, RESIDENT, `/live/${id}`);
  await ready(resident, info);
  await expect(resident.locator(".live-rtc")).toHaveAttribute("data-video", "on_air");
  // Give the sender's bandwidth estimate a moment to climb past the first blurry frames.
  await paints(resident, LIVE, 2000);
  const { delays } = await paints(resident, LIVE, 5000, { clock: CLOCK });
  // A frame whose squares were misread gives a nonsense time; a live picture reads back as a
  // time in the last few seconds.
  const live = delays.filter((d) => d < 5000).sort((a, b) => a - b);
  console.log(`glass to glass: median ${median(live)} ms, p90 ${live[Math.floor(live.length * 0.9)]} ms, ${live.length} of ${delays.length} frames read`);
  expect(live.length, "frames that carried the host's clock").toBeGreaterThanOrEqual(Math.max(30, delays.length * 0.8));

  await manager.locator("summary", { hasText: "结束直播" }).click();
  await manager.getByRole("button", { name: "确定结束" }).click();
  await expect(resident.locator(".live-badge").first()).toHaveText("已结束");
});
