// docgen web app: small helpers shared by the pages (no external scripts).
"use strict";

// fetch() with the session's CSRF token (state-changing requests are refused without it)
function docgenFetch(url, options) {
  const opts = Object.assign({ credentials: "same-origin" }, options || {});
  opts.headers = Object.assign({}, opts.headers || {});
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) opts.headers["X-CSRF-Token"] = meta.content;
  return fetch(url, opts);
}
window.docgenFetch = docgenFetch;

// the board's filters apply as soon as one is chosen
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form) form.requestSubmit();
});
