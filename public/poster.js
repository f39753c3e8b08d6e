// The share poster as a PNG: WeChat and photo albums take pictures, not SVG. The browser draws
// the SVG (with its own Chinese fonts) onto a canvas at 2x; the PNG replaces the SVG in place,
// so a long press saves it, and the button downloads it. Without this script the SVG shows.
(function () {
  var img = document.getElementById("poster");
  var link = document.getElementById("poster-download");
  if (!img || !window.HTMLCanvasElement) return;
  var src = img.getAttribute("src");
  var loader = new Image();
  loader.onload = function () {
    var canvas = document.createElement("canvas");
    canvas.width = 750;
    canvas.height = 1200;
    var ctx = canvas.getContext("2d");
    ctx.drawImage(loader, 0, 0, 750, 1200);
    canvas.toBlob(function (blob) {
      if (!blob) return;
      var url = URL.createObjectURL(blob);
      img.src = url;
      img.setAttribute("data-png", "true");
      if (link) {
        link.href = url;
        link.setAttribute("download", (link.getAttribute("download") || "poster.svg").replace(/\.svg$/, ".png"));
      }
    }, "image/png");
  };
  loader.src = src;
})();
