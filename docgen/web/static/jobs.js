// パケット作成: start a build without leaving the page and follow it live — server-sent events, else polling the
// job's JSON every second. On load the case's last build is followed again (a reload loses nothing). The server
// renders the status (the same fragment as the page without this script); this only puts it in place.
"use strict";

(function () {
  const panel = document.getElementById("packet-build");
  if (!panel) return;
  const status = panel.querySelector(".job-status");
  let source = null;
  let timer = null;

  function stop() {
    if (source) { source.close(); source = null; }
    if (timer) { clearTimeout(timer); timer = null; }
  }

  function show(body, notice) {
    status.innerHTML = body.html;
    if (notice) {
      const p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      p.textContent = notice;
      status.prepend(p);
    }
    panel.dataset.state = body.state || "";
    const running = body.id && !body.ended;
    panel.querySelectorAll("form.job-form button").forEach((b) => { b.disabled = running; });
    if (body.steps && body.steps.indexOf("accept") >= 0) {
      const details = panel.querySelector("details.job-final");
      if (details) { details.open = true; details.querySelector("textarea").focus(); }
    }
  }

  function poll(url) {
    timer = setTimeout(async () => {
      try {
        const response = await docgenFetch(url, { headers: { Accept: "application/json" } });
        const body = await response.json();
        show(body);
        if (!body.ended) poll(url);
      } catch (err) {
        poll(url);
      }
    }, 1000);
  }

  function follow(body, notice) {
    stop();
    show(body, notice);
    if (!body.id || body.ended) return;
    if (!window.EventSource) { poll(body.poll); return; }
    source = new EventSource(body.events);
    source.addEventListener("job", (event) => {
      const next = JSON.parse(event.data);
      show(next);
      if (next.ended) stop();
    });
    source.onerror = () => { if (source) { stop(); poll(body.poll); } };
  }

  panel.querySelectorAll("form.job-form").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form, event.submitter);
      try {
        const response = await docgenFetch(form.action, {
          method: "POST", body: data, headers: { Accept: "application/json" },
        });
        const body = await response.json();
        follow(body, response.status === 409 ? body.refused : null);
      } catch (err) {
        form.submit();  // the plain form: the server's job page
      }
    });
  });

  docgenFetch(panel.dataset.latest, { headers: { Accept: "application/json" } })
    .then((r) => r.json()).then((body) => follow(body)).catch(() => {});
})();
