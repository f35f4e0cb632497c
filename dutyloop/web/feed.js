// The calendar feed page: copy the new address with one click (no inline scripts: the site's
// Content-Security-Policy allows only its own files).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("copy-feed");
  const field = document.getElementById("feed-url");
  if (!button || !field) return;
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (error) {
      document.execCommand("copy");
    }
    button.textContent = button.dataset.done;
  });
});
