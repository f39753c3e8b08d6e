// 直播间的画面, in plain JavaScript so the picture starts before the page's WASM arrives:
// - <video data-whep="…">: the host's camera through linli's own relay (WebRTC, WHEP). The
//   wrapper's data-video says where the host's video stands (on_air, away, none); the room's
//   stream keeps it current. Connects when there is video, stays connected while the host is
//   away (the picture comes back by itself), reconnects with a growing pause when the
//   connection drops, and hangs up when the page goes.
// - <video data-hls="…">: a session with its own HLS stream. Safari (iPhone, iPad) plays HLS
//   itself; elsewhere hls.js (from npm, served from /vendor/) feeds the video through Media
//   Source Extensions.
// The line under the video says what is happening.
(function () {
  "use strict";
  var words = document.documentElement.lang === "en"
    ? { wait: "Connecting to the stream…", retry: "The picture dropped — reconnecting…", none: "This browser cannot play the stream. You can still buy below.",
        busy: "Too many watching right now — trying again shortly…" }
    : { wait: "正在连接画面…", retry: "画面断了，正在重连…", none: "这个浏览器放不了直播画面，下面照样可以抢购。",
        busy: "现在看的人太多，稍后自动再试…" };

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

  function whep(video) {
    if (video.__linliPlaying) return;
    video.__linliPlaying = true;
    if (!window.RTCPeerConnection) return say(video, words.none);
    var box = video.closest("[data-video]");
    var url = video.getAttribute("data-whep");
    var ice = [];
    try { ice = JSON.parse(video.getAttribute("data-ice") || "[]"); } catch (e) { ice = []; }
    var unmute = box && box.querySelector("[data-unmute]");
    var pc = null, resource = null, tries = 0, timer = null, lastFrame = 0;
    var hdrs = { "X-Requested-With": "linli" };

    function state() { return box ? box.getAttribute("data-video") : "on_air"; }
    function hangUp() {
      if (pc) { pc.onconnectionstatechange = null; pc.close(); pc = null; }
      if (resource) { fetch(resource, { method: "DELETE", headers: hdrs, keepalive: true }).catch(function () {}); resource = null; }
    }
    function later(text) {
      say(video, text);
      clearTimeout(timer);
      timer = setTimeout(connect, Math.min(10000, 1000 * Math.pow(2, tries++)));
    }
    function connect() {
      clearTimeout(timer);
      if (pc || state() === "none" || document.hidden) return;
      var mine = pc = new RTCPeerConnection({ iceServers: ice });
      pc.addTransceiver("video", { direction: "recvonly" });
      pc.addTransceiver("audio", { direction: "recvonly" });
      var stream = new MediaStream();
      pc.ontrack = function (e) {
        stream.addTrack(e.track);
        if (video.srcObject !== stream) video.srcObject = stream;
        video.play().catch(function () {});
      };
      pc.onconnectionstatechange = function () {
        if (mine !== pc) return;
        var s = pc.connectionState;
        if (s === "connected") { tries = 0; say(video, ""); }
        else if (s === "failed") { hangUp(); later(words.retry); }
        // "disconnected" often heals by itself (a phone switching networks); give it a moment.
        else if (s === "disconnected") setTimeout(function () { if (mine === pc && pc.connectionState !== "connected") { hangUp(); later(words.retry); } }, 4000);
      };
      say(video, words.wait);
      // rtc-offer.js may still be on its way (loaded beside this file): a moment later, then.
      if (!window.linliOffer) { hangUp(); return later(words.wait); }
      window.linliOffer(mine, url).then(function (r) {
        if (mine !== pc) return;
        if (r.status === 201) { resource = r.location; return; }
        hangUp();
        // 409: the session ended (the room says so); 404: gone.
        if (r.status === 409 || r.status === 404) return say(video, "");
        later(r.status === 503 ? words.busy : words.retry);
      }).catch(function () { if (mine === pc) { hangUp(); later(words.retry); } });
    }

    // Frames as they are painted: a picture frozen while the host is on air means a stale
    // connection, which is replaced.
    function frames() {
      lastFrame = Date.now();
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(frames);
    }
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(frames);
    else video.addEventListener("timeupdate", function () { lastFrame = Date.now(); });
    var watch = setInterval(function () {
      // The room was left inside the app (no pagehide): let the relay go.
      if (!video.isConnected) { clearInterval(watch); clearTimeout(timer); return hangUp(); }
      if (state() === "on_air" && pc && pc.connectionState === "connected" && lastFrame && Date.now() - lastFrame > 8000) {
        lastFrame = 0;
        hangUp();
        connect();
      }
    }, 2000);

    video.addEventListener("playing", function () {
      say(video, "");
      if (unmute) unmute.hidden = !video.muted;
    });
    if (unmute) unmute.addEventListener("click", function () {
      video.muted = false;
      video.play().catch(function () {});
      unmute.hidden = true;
    });
    if (box) new MutationObserver(function () { if (state() !== "none") connect(); }).observe(box, { attributes: true, attributeFilter: ["data-video"] });
    document.addEventListener("visibilitychange", function () { if (!document.hidden) connect(); });
    window.addEventListener("pagehide", hangUp);
    connect();
  }

  // A replay in parts (the host reconnected, or the server restarted): the next part plays
  // when one ends.
  function replay(video) {
    if (video.__linliPlaying) return;
    video.__linliPlaying = true;
    var parts = (video.getAttribute("data-replays") || "").split(" ").filter(Boolean);
    var at = 0;
    video.addEventListener("ended", function () {
      if (++at >= parts.length) return;
      video.src = parts[at];
      video.play().catch(function () {});
    });
  }

  function scan() {
    document.querySelectorAll("video[data-replays]").forEach(replay);
    document.querySelectorAll("video[data-hls]").forEach(start);
    document.querySelectorAll("video[data-whep]").forEach(whep);
  }
  scan();
  // The room may be drawn again after a client-side navigation.
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
})();
