// Click a column heading of a table marked "sortable" to sort it (numbers as numbers, text in
// the reader's language); click again to reverse.
document.addEventListener("DOMContentLoaded", () => {
  const collator = new Intl.Collator(document.documentElement.lang, { numeric: true });
  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("thead th").forEach((th, index) => {
      th.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const key = (row) => (row.cells[index] ? (row.cells[index].dataset.sort ?? row.cells[index].textContent.trim()) : "");
        rows.sort((a, b) => collator.compare(key(a), key(b)) * (ascending ? 1 : -1));
        rows.forEach((row) => body.appendChild(row));
      });
    });
  });
  // Forms that add rows (a task list with many tasks): a button copies the last row.
  document.querySelectorAll("[data-add-row]").forEach((button) => {
    button.addEventListener("click", () => {
      const body = document.getElementById(button.dataset.addRow);
      const last = body.rows[body.rows.length - 1];
      const copy = last.cloneNode(true);
      copy.querySelectorAll("input, textarea").forEach((input) => { input.value = ""; });
      body.appendChild(copy);
    });
  });
});
