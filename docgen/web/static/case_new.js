// the new-case page: the suggested case id follows the family name typed (2026-103 -> 2026-103-wang)
"use strict";
document.addEventListener("input", (event) => {
  if (event.target.id !== "family_name") return;
  const id = document.getElementById("case_id");
  if (!id) return;
  const slug = event.target.value.normalize("NFKC").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 20);
  id.placeholder = id.dataset.suggested + (slug ? "-" + slug : "");
});
