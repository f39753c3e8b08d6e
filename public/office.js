// The back office's two inline-free helpers, plain JavaScript so they work before the page's
// WASM has arrived (and under a CSP that runs no inline handler):
//   <button data-confirm="确认退款 ¥5.00？">  asks first; 取消 stops the form from going
//   <button data-print>                       prints the page (小票, 拣货单)
//   <button data-copy="field-id">             copies that field's text (the invitation link)
//   <button data-fill="field-id" data-value>  types that value into the field (实收 ¥50)
(function () {
  "use strict";
  if (window.__linliOffice) return; // a client-side navigation may add this script again
  window.__linliOffice = true;
  // Buttons that only work with this script (复制链接) are shown only when it runs.
  document.documentElement.classList.add("has-js");
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
    var fill = e.target.closest && e.target.closest("[data-fill]");
    if (fill) {
      var into = document.getElementById(fill.getAttribute("data-fill"));
      if (into) {
        into.value = fill.getAttribute("data-value");
        into.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    var copy = e.target.closest && e.target.closest("[data-copy]");
    if (copy) {
      e.preventDefault();
      var field = document.getElementById(copy.getAttribute("data-copy"));
      if (!field) return;
      var done = function () {
        var was = copy.getAttribute("data-label") || copy.textContent;
        copy.setAttribute("data-label", was);
        copy.textContent = copy.getAttribute("data-copied") || "OK";
        setTimeout(function () { copy.textContent = was; }, 2000);
      };
      field.select();
      // The clipboard API needs https (or localhost); the older command works on plain http.
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(done, function () { if (document.execCommand("copy")) done(); });
      else if (document.execCommand("copy")) done();
    }
  }, true);
})();
