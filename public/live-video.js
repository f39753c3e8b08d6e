// 直播间的画面: plays the session's HLS stream in <video data-hls="…">. Safari (iPhone, iPad)
// plays HLS itself; elsewhere hls.js (from npm, served from /vendor/) feeds the video through
// Media Source Extensions. Loaded only on a room with a stream, and plain JavaScript, so the
// picture starts before the page's WASM arrives. A dropped stream is retried quietly; the
// line under the video says what is happening.
(function () {
  "use strict";
  var words = document.documentElement.lang === "en"
    ? { wait: "Connecting to the stream…", retry: "The picture dropped — reconnecting…", none: "This browser cannot play the stream. You can still buy below." }
    : { wait: "正在连接画面…", retry: "画面断了，正在重连…", none: "这个浏览器放不了直播画面，下面照样可以抢购。" };

  function say(video, text) {
    var line = video.parentNode && video.parentNode.querySelector("[data-video-state]");
    if (line) line.textContent = text || "";
  }

  function withHls(done) {
    if (window.Hls) return done(window.Hls);
    var s = document.createElement("script");
    s.src = "/vendor/hls.light.min.js";
    s.onload = function () { done(window.Hls); };
    s.onerror = function () { done(null); };
    document.head.appendChild(s);
  }

  function start(video) {
    if (video.__linliPlaying) return;
    video.__linliPlaying = true;
    var url = video.getAttribute("data-hls");
    video.addEventListener("playing", function () { say(video, ""); });
    say(video, words.wait);
    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
      video.addEventListener("error", function () {
        say(video, words.retry);
        setTimeout(function () { video.src = url; video.play().catch(function () {}); }, 3000);
      });
      video.play().catch(function () {});
      return;
    }
    withHls(function (Hls) {
      if (!Hls || !Hls.isSupported()) return say(video, words.none);
      // No worker: the page's policy allows scripts only from this site, not blob: workers.
      var hls = new Hls({ enableWorker: false, lowLatencyMode: true, liveSyncDurationCount: 3 });
      hls.on(Hls.Events.ERROR, function (_e, data) {
        if (!data.fatal) return;
        say(video, words.retry);
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
        else setTimeout(function () { hls.loadSource(url); hls.startLoad(); }, 3000);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      hls.on(Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () {}); });
    });
  }

  function scan() {
    document.querySelectorAll("video[data-hls]").forEach(start);
  }
  scan();
  // The room may be drawn again after a client-side navigation.
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
})();
