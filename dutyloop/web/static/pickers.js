// Type-ahead: an input with data-pick="people" (or "organisations") offers, as the person types,
// the few that match, asked of /pick/<kind>?q=… and shown in the input's own datalist.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-pick]").forEach((input, index) => {
    const list = document.createElement("datalist");
    list.id = `pick-${index}`;
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.after(list);
    let asked = "";
    input.addEventListener("input", async () => {
      const typed = input.value.replace(/^@/, "").trim();
      if (!typed || typed === asked) return;
      asked = typed;
      const answer = await fetch(`/pick/${input.dataset.pick}?q=${encodeURIComponent(typed)}`, { credentials: "same-origin" });
      if (!answer.ok || asked !== typed) return;
      list.replaceChildren(...(await answer.json()).map((item) => {
        const option = document.createElement("option");
        option.value = item.value;
        option.label = item.label;
        option.textContent = item.label;
        return option;
      }));
    });
  });
});
