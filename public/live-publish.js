// 主播台的直播画面: publishes this phone's camera and microphone to linli's relay (WHIP).
// Plain JavaScript: the camera and WebRTC belong to the browser, and the console works the
// same whether or not its WASM has arrived. One tap asks for the camera and publishes; the
// connection comes back by itself after a network drop; the line under the buttons shows
// the upload every two seconds and warns when the network cannot carry the picture. The console redraws itself (going
// live reloads its data): a redrawn camera card takes over the running broadcast instead of
// starting a second one.
(function () {
  "use strict";
  var en = document.documentElement.lang === "en";
  var w = en ? {
    asking: "Allow the camera and microphone…", connecting: "Connecting…", onair: "Streaming — residents in the room see you while the session is live (before that, only you do).",
    retry: "The network dropped — reconnecting…", stopped: "Streaming stopped.", denied: "The camera or microphone was not allowed. Allow them in the browser's site settings, then try again.",
    nocam: "No camera could be opened on this device.", unsupported: "This browser cannot stream. Use Safari or Chrome on a recent phone.",
    refused: "You cannot stream this session (signed out, or not its host).", ended: "The session has ended.", full: "The video is unavailable right now.",
    start: "Start streaming", stop: "Stop streaming", mute: "Mute mic", unmute: "Unmute mic", weak: "weak network: move closer to the Wi-Fi",
    health: function (kbps, fps) { return "Upload " + kbps + " kbps" + (fps ? " · " + Math.round(fps) + " fps" : ""); },
    key: "Address: ", keyLabel: "Key: ", keyFailed: "No key was made — try again."
  } : {
    asking: "请允许使用摄像头和麦克风…", connecting: "正在连接…", onair: "正在推流：直播中，直播间里的居民都看得到（开播前只有你看得到）。",
    retry: "网络断了，正在重连…", stopped: "已停止推流。", denied: "没有摄像头或麦克风的权限。请在浏览器的网站设置里允许，再点一次。",
    nocam: "这台设备打不开摄像头。", unsupported: "这个浏览器不能推流，请用较新手机上的 Safari 或 Chrome。",
    refused: "你不能给这场直播推流（没登录，或不是这场的主播）。", ended: "这场直播已经结束了。", full: "直播画面暂时不可用。",
    start: "开始推流", stop: "停止推流", mute: "关麦克风", unmute: "开麦克风", weak: "网络较弱，靠近路由器试试",
    health: function (kbps, fps) { return "上行 " + kbps + " kbps" + (fps ? " · " + Math.round(fps) + " 帧/秒" : ""); },
    key: "地址：", keyLabel: "密钥：", keyFailed: "没生成成功，请再试一次。"
  };
  var hdrs = { "X-Requested-With": "linli" };

  var controllers = {};

  function setup(box) {
    if (box.__linli) return;
    box.__linli = true;
    var url = box.getAttribute("data-whip");
    if (controllers[url]) return controllers[url](box);
    controllers[url] = controller(box, url);
  }

  // One broadcast per session; `attach` points it at the card now on the page.
  function controller(box, url) {
    var video, line, health, said = "";
    function btn(name) { return box.querySelector('[data-cam="' + name + '"]'); }
    var ice = [];
    try { ice = JSON.parse(box.getAttribute("data-ice") || "[]"); } catch (e) { ice = []; }
    var stream = null, pc = null, resource = null, wanted = false, facing = "user", muted = false;
    var tries = 0, timer = null, lastBytes = 0, lastAt = 0, connectedAt = 0;

    function say(text) { said = text; line.textContent = text; }
    function publishing(on) {
      var b = btn("publish");
      b.textContent = on ? w.stop : w.start;
      b.classList.toggle("btn-danger", on);
      b.classList.toggle("btn-cta", !on);
      b.disabled = false;
      btn("flip").disabled = !on;
      btn("mute").disabled = !on;
    }
    function camera() {
      return navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true },
        video: { facingMode: facing, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } }
      });
    }
    function drop() {
      if (pc) { pc.onconnectionstatechange = null; pc.close(); pc = null; }
      if (resource) { fetch(resource, { method: "DELETE", headers: hdrs, keepalive: true }).catch(function () {}); resource = null; }
    }
    function later() {
      say(w.retry);
      clearTimeout(timer);
      timer = setTimeout(publish, Math.min(8000, 500 * Math.pow(2, tries++)));
    }
    function start() {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.RTCPeerConnection) return say(w.unsupported);
      wanted = true;
      btn("publish").disabled = true;
      say(w.asking);
      camera().then(function (s) {
        stream = s;
        video.srcObject = s;
        video.play().catch(function () {});
        publishing(true);
        publish();
      }).catch(function (e) {
        wanted = false;
        publishing(false);
        say(e && (e.name === "NotAllowedError" || e.name === "SecurityError") ? w.denied : w.nocam);
      });
    }
    function publish() {
      clearTimeout(timer);
      if (!wanted || pc || !stream) return;
      var mine = pc = new RTCPeerConnection({ iceServers: ice });
      stream.getTracks().forEach(function (t) { mine.addTransceiver(t, { direction: "sendonly", streams: [stream] }); });
      mine.onconnectionstatechange = function () {
        if (mine !== pc) return;
        var s = mine.connectionState;
        if (s === "connected") { tries = 0; connectedAt = Date.now(); say(w.onair); }
        else if (s === "failed") { drop(); later(); }
        else if (s === "disconnected") setTimeout(function () { if (mine === pc && mine.connectionState !== "connected") { drop(); later(); } }, 3000);
      };
      say(w.connecting);
      if (!window.linliOffer) { drop(); return later(); }
      window.linliOffer(mine, url).then(function (r) {
        if (mine !== pc) return;
        if (r.status === 201) { resource = r.location; return; }
        // Refusals are final; anything else is tried again.
        if (r.status === 401 || r.status === 403 || r.status === 404 || r.status === 409) return stop(r.status === 409 ? w.ended : w.refused);
        drop();
        if (r.status === 503) say(w.full);
        later();
      }).catch(function () { if (mine === pc) { drop(); later(); } });
    }
    function stop(why) {
      wanted = false;
      clearTimeout(timer);
      drop();
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.srcObject = null;
      publishing(false);
      health.textContent = "";
      health.classList.remove("warn");
      say(why || w.stopped);
    }
    function flip() {
      if (!stream) return;
      facing = facing === "user" ? "environment" : "user";
      navigator.mediaDevices.getUserMedia({ video: { facingMode: facing, width: { ideal: 1280 }, height: { ideal: 720 } } }).then(function (s) {
        var fresh = s.getVideoTracks()[0];
        var old = stream.getVideoTracks()[0];
        if (pc) pc.getSenders().forEach(function (sender) { if (sender.track && sender.track.kind === "video") sender.replaceTrack(fresh); });
        if (old) { stream.removeTrack(old); old.stop(); }
        stream.addTrack(fresh);
        video.srcObject = stream;
      }).catch(function () { facing = facing === "user" ? "environment" : "user"; });
    }
    function mute() {
      if (!stream) return;
      muted = !muted;
      stream.getAudioTracks().forEach(function (t) { t.enabled = !muted; });
      btn("mute").textContent = muted ? w.unmute : w.mute;
    }
    function stats() {
      if (!pc || pc.connectionState !== "connected") return;
      pc.getStats().then(function (report) {
        var bytes = 0, limit = "", fps = 0, room = 0;
        report.forEach(function (r) {
          // What the connection estimates it can carry up: the network's own verdict (a still
          // picture legitimately needs little, so the bytes sent alone would cry wolf).
          if (r.type === "candidate-pair" && r.nominated && r.availableOutgoingBitrate) room = r.availableOutgoingBitrate;
          if (r.type !== "outbound-rtp") return;
          bytes += r.bytesSent || 0;
          if (r.kind === "video") { limit = r.qualityLimitationReason || limit; fps = r.framesPerSecond || fps; }
        });
        var now = Date.now();
        var kbps = lastAt && bytes >= lastBytes ? Math.round((bytes - lastBytes) * 8 / (now - lastAt)) : 0;
        var first = !lastAt;
        lastBytes = bytes;
        lastAt = now;
        if (first) return;
        // The estimate starts low and climbs over the first seconds: judge after ten.
        var weak = Date.now() - connectedAt > 10000 && (limit === "bandwidth" || (room > 0 && room < 300000));
        health.textContent = w.health(kbps, fps) + (weak ? " · " + w.weak : "");
        health.classList.toggle("warn", weak);
      }).catch(function () {});
    }
    function makeKey() {
      var out = box.querySelector("[data-cam-key]");
      fetch(box.getAttribute("data-key-url"), { method: "POST", headers: hdrs }).then(function (res) {
        if (res.status !== 201) throw new Error(String(res.status));
        return res.json();
      }).then(function (k) {
        out.textContent = w.key + k.whip_url + "\n" + w.keyLabel + k.stream_key;
        out.style.whiteSpace = "pre-wrap";
        out.hidden = false;
      }).catch(function () { out.textContent = w.keyFailed; out.hidden = false; });
    }

    function click(e) {
      var b = e.target.closest("[data-cam]");
      if (!b || b.disabled) return;
      var what = b.getAttribute("data-cam");
      if (what === "publish") { if (wanted) stop(); else start(); }
      else if (what === "flip") flip();
      else if (what === "mute") mute();
      else if (what === "key") makeKey();
    }
    function attach(fresh) {
      box = fresh;
      video = box.querySelector("video");
      line = box.querySelector("[data-cam-state]");
      health = box.querySelector("[data-cam-health]");
      box.addEventListener("click", click);
      if (stream) {
        video.srcObject = stream;
        video.play().catch(function () {});
        publishing(true);
        btn("mute").textContent = muted ? w.unmute : w.mute;
      }
      if (said) line.textContent = said;
    }
    attach(box);
    setInterval(stats, 2000);
    window.addEventListener("pagehide", function () { if (wanted) drop(); });
    return attach;
  }

  function scan() { document.querySelectorAll("[data-whip]").forEach(setup); }
  scan();
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
})();
