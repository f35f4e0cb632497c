// The little the pages need beyond HTML and CSS, loaded from this site (the Content-Security-
// Policy allows no inline script): the phone's menu, sortable tables reachable by keyboard, the
// column names a phone shows beside each value when a table turns into cards, rows added to a
// task list, and the progress of an upload.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  if (toggle) {
    const menu = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  // On a phone each row becomes a card: every cell shows its column's name beside the value.
  document.querySelectorAll("table.table").forEach((table) => {
    const heads = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    if (!heads.length) return;
    table.querySelectorAll("tbody tr").forEach((row) => {
      Array.from(row.cells).forEach((cell, index) => {
        if (!cell.colSpan || cell.colSpan === 1) cell.dataset.label = heads[index] || "";
      });
    });
  });

  // Click (or press Enter on) a column heading of a table marked "sortable" to sort it (numbers as
  // numbers, text in the reader's language); again to reverse.
  const collator = new Intl.Collator(document.documentElement.lang, { numeric: true });
  document.querySelectorAll("table.sortable").forEach((table) => {
    const heads = table.querySelectorAll("thead th");
    heads.forEach((th, index) => {
      if (!th.textContent.trim()) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const key = (row) => (row.cells[index] ? (row.cells[index].dataset.sort ?? row.cells[index].textContent.trim()) : "");
        rows.sort((a, b) => collator.compare(key(a), key(b)) * (ascending ? 1 : -1));
        rows.forEach((row) => body.appendChild(row));
      });
    });
  });

  // Every form that records something is sent in the background: an upload shows its progress
  // while it is sent; a refusal comes back beside the form (beside the field it names, when the
  // form has that field), with what was typed and the files chosen kept; a success shows the page
  // the server sent it to (or, from a form that answers with a page, that page). Forms marked
  // data-leave (sign-in, sign-out, language, the uploads that answer with a preview) navigate.
  const send = (form, bar, submitter) => {
    const request = new XMLHttpRequest();
    request.open("POST", form.getAttribute("action"));
    request.setRequestHeader("X-DutyLoop-Form", "background");
    if (bar) {
      request.upload.addEventListener("progress", (progress) => {
        if (progress.lengthComputable) bar.value = Math.round((100 * progress.loaded) / progress.total);
      });
      bar.hidden = false;
    }
    const buttons = form.querySelectorAll("button");
    request.addEventListener("load", () => {
      const next = request.getResponseHeader("X-DutyLoop-Location");
      if (next) {
        const target = new URL(next, window.location.href);
        const here = window.location;
        if (target.pathname === here.pathname && target.search === here.search) {
          // Only the fragment differs: assigning it would scroll, not show the result.
          history.replaceState(null, "", target.href);
          here.reload();
        } else {
          here.assign(target.href);
        }
        return;
      }
      if (request.status < 400) {
        document.open();
        document.write(request.responseText);
        document.close();
        return;
      }
      const answer = new DOMParser().parseFromString(request.responseText, "text/html");
      const reason = answer.querySelector(".refused .error, .error");
      const named = answer.querySelector(".refused[data-field]");
      const field = named ? form.querySelector(`[name="${CSS.escape(named.dataset.field)}"]`) : null;
      form.querySelectorAll(".form-error").forEach((old) => old.remove());
      form.querySelectorAll("[aria-invalid]").forEach((old) => old.removeAttribute("aria-invalid"));
      const box = document.createElement("p");
      box.className = "error form-error";
      box.setAttribute("role", "alert");
      box.textContent = reason ? reason.textContent.trim() : request.statusText;
      if (field) {
        box.id = `${form.getAttribute("id") || "form"}-${named.dataset.field}-error`;
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", box.id);
        (field.closest("label") || field).after(box);
        field.focus();
      } else {
        form.prepend(box);
      }
      if (bar) bar.hidden = true;
      buttons.forEach((button) => { button.disabled = false; });
    });
    request.addEventListener("error", () => form.submit());
    buttons.forEach((button) => { button.disabled = true; });
    // The last result's notice is no longer news once the next is on its way.
    document.querySelectorAll(".notice").forEach((shown) => shown.remove());
    request.send(new FormData(form, submitter));
  };
  document.querySelectorAll("form[method=post]:not([data-upload]):not([data-leave])").forEach((form) => {
    form.addEventListener("submit", (event) => { event.preventDefault(); send(form, null, event.submitter); });
  });

  // Evidence from the phone's camera or its files: the names chosen, and a file over the limit
  // named beside the field before anything is sent.
  document.querySelectorAll("form[data-upload]").forEach((form) => {
    const box = form.querySelector("[data-max-bytes]");
    const limit = Number(box.dataset.maxBytes);
    const inputs = Array.from(box.querySelectorAll("input[type=file]"));
    const warning = box.querySelector(".too-big");
    const chosen = () => inputs.flatMap((input) => Array.from(input.files));
    const tooBig = () => chosen().filter((file) => file.size > limit);
    inputs.forEach((input) => input.addEventListener("change", () => {
      box.querySelector(".chosen").textContent = chosen().map((file) => file.name).join("、");
      const over = tooBig();
      warning.hidden = over.length === 0;
      warning.querySelector("span").textContent = over.map((file) => file.name).join("、");
    }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (tooBig().length) { warning.hidden = false; return; }
      send(form, form.querySelector(".upload-progress"), event.submitter);
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
