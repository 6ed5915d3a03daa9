// Small enhancements for parallax pages; every page works without them.
"use strict";

function selectClaim(id, scroll) {
  document.querySelectorAll("tr.claim.active").forEach((row) => row.classList.remove("active"));
  document.querySelectorAll("mark.m.hl").forEach((m) => m.classList.remove("hl"));
  document.querySelectorAll(".evidence").forEach((box) => { box.hidden = true; });
  const row = document.querySelector(`tr.claim[data-claim="${CSS.escape(id)}"]`);
  const box = document.getElementById(`ev-${id}`);
  if (!row || !box) return;
  row.classList.add("active");
  box.hidden = false;
  const hint = document.getElementById("evidence-hint");
  if (hint) hint.hidden = true;
  box.querySelectorAll("mark.m").forEach((m) => m.classList.add("hl"));
  if (scroll) row.scrollIntoView({ block: "nearest" });
  history.replaceState(null, "", `#${id}`);
}

function storyPage() {
  document.querySelectorAll("tr.claim").forEach((row) => {
    row.addEventListener("click", () => selectClaim(row.dataset.claim, false));
    row.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); selectClaim(row.dataset.claim, false); }
    });
  });
  document.querySelectorAll("button.claim-link").forEach((button) => {
    button.addEventListener("click", () => {
      document.getElementById("claims").scrollIntoView();
      selectClaim(button.dataset.claim, true);
    });
  });
  document.querySelectorAll("button.filter").forEach((button) => {
    button.addEventListener("click", () => {
      document.querySelectorAll("button.filter").forEach((b) => b.classList.toggle("active", b === button));
      const status = button.dataset.status;
      document.querySelectorAll("tr.claim").forEach((row) => {
        row.classList.toggle("hidden", Boolean(status) && row.dataset.status !== status);
      });
    });
  });
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted) selectClaim(wanted, true);
}

function highlightIn(container, attribute, value) {
  container.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
  const spans = Array.from(container.querySelectorAll(`[data-${attribute}]`))
    .filter((el) => el.dataset[attribute].split(" ").includes(value));
  spans.forEach((el) => el.classList.add("active"));
  if (spans.length) spans[0].scrollIntoView({ block: "center" });
}

function articlePage(text) {
  const pick = (item, attribute) => {
    document.querySelectorAll("aside li.active").forEach((li) => li.classList.remove("active"));
    item.classList.add("active");
    highlightIn(text, attribute, item.dataset[attribute]);
  };
  document.querySelectorAll("ol.attributions li").forEach((item) => {
    item.addEventListener("click", (event) => { if (event.target.tagName !== "A") pick(item, "a"); });
  });
  document.querySelectorAll(".claims-here li").forEach((item) => {
    item.addEventListener("click", () => pick(item, "c"));
  });
  const match = location.hash.match(/^#claim-(.+)$/);
  if (match) {
    const item = document.getElementById(`claim-${decodeURIComponent(match[1])}`);
    if (item) pick(item, "c");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.querySelector("table.matrix")) storyPage();
  const text = document.getElementById("article-text");
  if (text) articlePage(text);
});
