// 扫码 for a code field: reads a QR code with the device camera, fills the field marked
// data-code-input (the desk's pickup code, the till's member pay code) and submits its form. Plain JavaScript so it works whether or not the page's WASM has
// loaded. Uses the browser's BarcodeDetector (Android Chrome) and falls back to jsQR (iPad
// Safari), loaded only when needed. The code is typed by hand where there is no camera.
(function () {
  "use strict";
  if (window.__linliCodeField) return; // a client-side navigation may add this script again
  window.__linliCodeField = true;

  // The desk's number pad ([data-keypad], under the code field): shown on phones, where it
  // stands in for the phone's keyboard (which would cover the found order), so the field asks
  // for none. Keys edit the field of the pad's own form.
  var narrow = window.matchMedia("(max-width: 760px)");
  function showPads() {
    document.querySelectorAll("[data-keypad]").forEach(function (pad) {
      pad.hidden = !narrow.matches;
      var form = pad.closest("form");
      var input = form && form.querySelector("[data-code-input]");
      if (input) input.setAttribute("inputmode", narrow.matches ? "none" : "numeric");
    });
  }
  showPads();
  if (narrow.addEventListener) narrow.addEventListener("change", showPads);
  // The page draws the desk again after a client-side navigation or a reload of its data.
  new MutationObserver(function () {
    if (document.querySelector("[data-keypad][hidden]") && narrow.matches) showPads();
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("click", function (e) {
    var key = e.target.closest && e.target.closest("[data-keypad] [data-key]");
    if (!key) return;
    var form = key.closest("form");
    var input = form && form.querySelector("[data-code-input]");
    if (!input) return;
    var k = key.getAttribute("data-key");
    if (k === "clear") input.value = "";
    else if (k === "back") input.value = input.value.slice(0, -1);
    else if (input.value.length < Number(input.getAttribute("maxlength") || 10)) input.value += k;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    if (navigator.vibrate) navigator.vibrate(10);
  });

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  document.documentElement.classList.add("can-scan");

  var stream = null;
  var running = false;

  function stop(overlay) {
    running = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    if (overlay) overlay.hidden = true;
  }

  function loadJsQr() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve(window.jsQR);
      var s = document.createElement("script");
      s.src = "/vendor/jsQR.js";
      s.onload = function () { resolve(window.jsQR); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  // The code the field takes: as many digits as its data-code-digits says (a pickup code has
  // six, a pay code eighteen), perhaps written in groups.
  function codeOf(text) {
    var input = document.querySelector("[data-code-input]");
    var n = Number((input && input.getAttribute("data-code-digits")) || 6);
    var digits = String(text || "").replace(/[\s-]/g, "");
    return new RegExp("^\\d{" + n + "}$").test(digits) ? digits : null;
  }

  function found(code, overlay) {
    stop(overlay);
    var input = document.querySelector("[data-code-input]");
    if (!input) return;
    // A scanned pay code means the member pays from the wallet: choose that for the clerk.
    var choose = input.getAttribute("data-code-choose");
    var radio = choose && document.getElementById(choose);
    if (radio) radio.checked = true;
    input.value = code;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    if (navigator.vibrate) navigator.vibrate(80);
    var form = input.form;
    if (form && form.requestSubmit) form.requestSubmit(); else if (form) form.submit();
  }

  async function scan(overlay) {
    var video = overlay.querySelector("video");
    var status = overlay.querySelector("[data-scan-status]");
    overlay.hidden = false;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      if (status) status.textContent = status.getAttribute("data-denied") || "camera unavailable";
      return;
    }
    video.srcObject = stream;
    await video.play().catch(function () {});
    running = true;
    var detector = null;
    if ("BarcodeDetector" in window) {
      try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
    }
    var jsQR = detector ? null : await loadJsQr().catch(function () { return null; });
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    async function tick() {
      if (!running) return;
      if (video.readyState >= 2) {
        try {
          if (detector) {
            var codes = await detector.detect(video);
            for (var i = 0; i < codes.length; i++) {
              var c = codeOf(codes[i].rawValue);
              if (c) return found(c, overlay);
            }
          } else if (jsQR) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
            var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
            var hit = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
            var code = hit && codeOf(hit.data);
            if (code) return found(code, overlay);
          }
        } catch (e) { /* a frame that cannot be read: try the next */ }
      }
      setTimeout(function () { requestAnimationFrame(tick); }, 120);
    }
    tick();
  }

  // Delegated, so it keeps working when the page re-renders its parts.
  document.addEventListener("click", function (e) {
    var open = e.target.closest && e.target.closest("[data-scan]");
    var close = e.target.closest && e.target.closest("[data-scan-close]");
    var overlay = document.querySelector("[data-scan-overlay]");
    if (open && overlay) { e.preventDefault(); scan(overlay); }
    if (close && overlay) { e.preventDefault(); stop(overlay); }
  });
})();
