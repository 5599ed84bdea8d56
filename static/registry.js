// Progressive enhancement only: every page works without this file.
// Tables marked `data-sortable` get column headers that sort their rows when pressed.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("table[data-sortable]")) {
    const headers = table.querySelectorAll("thead th");
    headers.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "registry-sort";
      button.textContent = "⇅";
      button.setAttribute("aria-label", `Sorteer op ${th.textContent.trim()}`);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach((other) => other.setAttribute("aria-sort", "none"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const value = (row) => row.cells[column]?.dataset.value ?? row.cells[column]?.textContent.trim() ?? "";
        rows.sort((a, b) => {
          const [x, y] = [value(a), value(b)];
          const [nx, ny] = [Number(x), Number(y)];
          const order = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x.localeCompare(y, "nl");
          return ascending ? order : -order;
        });
        rows.forEach((row) => body.appendChild(row));
      });
    });
  }
});
