// The back office's two inline-free helpers, plain JavaScript so they work before the page's
// WASM has arrived (and under a CSP that runs no inline handler):
//   <button data-confirm="确认退款 ¥5.00？">  asks first; 取消 stops the form from going
//   <button data-print>                       prints the page (小票, 拣货单)
(function () {
  "use strict";
  if (window.__linliOffice) return; // a client-side navigation may add this script again
  window.__linliOffice = true;
  // Capturing, so the question comes before any other handler (the WASM's form submit).
  document.addEventListener("click", function (e) {
    var asks = e.target.closest && e.target.closest("[data-confirm]");
    if (asks && !asks.disabled && !window.confirm(asks.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    if (e.target.closest && e.target.closest("[data-print]")) {
      e.preventDefault();
      window.print();
    }
  }, true);
})();
