// Adding scans on the case page: drop files onto a row of the checklist or onto the panel's box; they are sent
// to the upload route (the same checks as a packet build) and each file's result is listed. The panel's plain
// form works without this script.
"use strict";

(function () {
  const panel = document.getElementById("evidence-upload");
  if (!panel) return;
  const form = panel.querySelector("form.evidence-form");
  const itemSelect = form.querySelector('select[name="item"]');
  const personSelect = form.querySelector('select[name="person"]');
  const yearSelect = form.querySelector('select[name="year"]');
  const yearLabel = form.querySelector(".evidence-year");
  const results = panel.querySelector("ul.evidence-results");
  const box = panel.querySelector(".evidence-drop");
  const rowIds = panel.dataset.rows.split(" ");
  const words = panel.dataset;
  let items = {};

  function line(cls, text) {
    const li = document.createElement("li");
    li.className = cls;
    li.textContent = text;
    results.prepend(li);
    return li;
  }

  function people(itemId) {
    const item = items[itemId];
    const keep = personSelect.value;
    personSelect.replaceChildren(personSelect.options[0]);
    for (const name of item ? item.people : []) {
      personSelect.append(new Option(name, name, false, name === keep));
    }
    personSelect.disabled = !item || item.people.length === 0;
    years(itemId);
  }

  // the 住民税 年度 of the chosen person (every person's when none is chosen), for items counted per 年度
  function yearsOf(itemId, person) {
    const item = items[itemId];
    const found = {};
    for (const [who, list] of Object.entries((item && item.years) || {})) {
      if (!person || person === who) for (const [year, name] of list) found[year] = name;
    }
    return Object.entries(found).sort((a, b) => b[0] - a[0]);
  }

  function years(itemId) {
    const keep = yearSelect.value;
    const list = yearsOf(itemId, personSelect.value);
    yearSelect.replaceChildren(yearSelect.options[0]);
    for (const [year, name] of list) yearSelect.append(new Option(name, year, false, year === keep));
    yearLabel.hidden = list.length === 0;
  }

  async function send(itemId, person, files, year) {
    if (!files.length) return;
    const body = new FormData();
    body.append("item", itemId);
    body.append("person", person || "");
    body.append("year", year || "");
    for (const f of files) body.append("files", f, f.name);
    const waiting = line("sending", words.sending + " " + Array.from(files, (f) => f.name).join(", "));
    try {
      const response = await docgenFetch(form.action, {
        method: "POST", body: body, headers: { Accept: "application/json" },
      });
      waiting.remove();
      if ((response.headers.get("content-type") || "").indexOf("application/json") < 0) {
        line("refused", words.failed + " (" + response.status + ")");
        return;
      }
      const added = await response.json();
      const where = added.title + (added.person ? " — " + added.person : "") + (added.year ? " — " + added.year : "");
      for (const r of added.refused) line("refused", words.refused + ": " + r.sent + ": " + r.reason);
      for (const s of added.stored) {
        line("stored", words.stored + ": " + s.sent + " → " + where + (s.note ? "（" + s.note + "）" : ""));
      }
    } catch (err) {
      waiting.remove();
      line("refused", words.failed);
    }
  }

  function dropTarget(element, target) {
    element.addEventListener("dragover", (event) => {
      if (!event.dataTransfer || Array.from(event.dataTransfer.types).indexOf("Files") < 0) return;
      event.preventDefault();
      element.classList.add("evidence-over");
    });
    element.addEventListener("dragleave", () => element.classList.remove("evidence-over"));
    element.addEventListener("drop", (event) => {
      event.preventDefault();
      element.classList.remove("evidence-over");
      const [itemId, person] = target();
      const year = yearsOf(itemId, person).some(([y]) => y === yearSelect.value) ? yearSelect.value : "";
      send(itemId, person, event.dataTransfer.files, year);
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = form.querySelector('input[type="file"]');
    send(itemSelect.value, personSelect.value, input.files, yearSelect.value).then(() => { input.value = ""; });
  });
  itemSelect.addEventListener("change", () => people(itemSelect.value));
  personSelect.addEventListener("change", () => years(itemSelect.value));

  docgenFetch(panel.dataset.items).then((r) => r.json()).then((list) => {
    items = Object.fromEntries(list.map((i) => [i.id, i]));
    itemSelect.replaceChildren(...list.map((i) => new Option(
      String(i.number).padStart(2, "0") + " " + i.title, i.id)));
    people(itemSelect.value);
    box.hidden = false;
    dropTarget(box, () => [itemSelect.value, personSelect.value]);
    const rows = document.querySelectorAll("#checklist tbody tr");
    rows.forEach((row, n) => {
      const itemId = rowIds[n];
      if (!items[itemId]) return;
      row.classList.add("evidence-row");
      row.title = words.drop;
      dropTarget(row, () => {
        const who = items[itemId].people.indexOf(personSelect.value) >= 0 ? personSelect.value : "";
        return [itemId, who];
      });
      // while files are dragged over the page, each person the item is counted for is a target of its own
      const cell = row.querySelector("td");
      for (const person of items[itemId].people) {
        const chip = document.createElement("span");
        chip.className = "evidence-person";
        chip.dataset.person = person;
        chip.textContent = person;
        cell.append(chip);
        dropTarget(chip, () => [itemId, person]);
        chip.addEventListener("drop", (event) => event.stopPropagation());
      }
    });
    let depth = 0;
    const dragging = (on) => document.body.classList.toggle("evidence-dragging", on);
    document.addEventListener("dragenter", (event) => {
      if (event.dataTransfer && Array.from(event.dataTransfer.types).indexOf("Files") >= 0) { depth += 1; dragging(true); }
    });
    document.addEventListener("dragleave", () => { depth = Math.max(0, depth - 1); if (!depth) dragging(false); });
    document.addEventListener("drop", () => { depth = 0; dragging(false); }, true);
    document.addEventListener("dragend", () => { depth = 0; dragging(false); });
    panel.classList.add("evidence-ready");
  });
})();
