// One WHIP/WHEP exchange, shared by live-video.js (residents watching) and live-publish.js
// (the host's camera): the peer's SDP offer is POSTed to the session's endpoint and a 201's
// answer applied. Resolves to the answer's status and the resource to DELETE when done.
(function () {
  "use strict";
  window.linliOffer = function (pc, url) {
    return pc.createOffer().then(function (o) { return pc.setLocalDescription(o); }).then(function () {
      return fetch(url, { method: "POST", headers: { "Content-Type": "application/sdp", "X-Requested-With": "linli" }, body: pc.localDescription.sdp });
    }).then(function (res) {
      if (res.status !== 201) return { status: res.status, location: null };
      var location = res.headers.get("Location");
      return res.text().then(function (sdp) {
        return pc.setRemoteDescription({ type: "answer", sdp: sdp });
      }).then(function () { return { status: 201, location: location }; });
    });
  };
})();
