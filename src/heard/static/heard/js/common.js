// Small behaviours every page shares: confirmations and copy buttons. No framework.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  try {
    await navigator.clipboard.writeText(source.textContent.trim());
    button.textContent = "Copied";
  } catch {
    window.getSelection().selectAllChildren(source);
  }
});

// A busy database answers 503 (heard/core/busy.py). htmx swaps nothing then, so what was typed
// is still in the form: say so, rather than leave the button looking as if it did nothing.
document.addEventListener("htmx:responseError", (event) => {
  if (event.detail.xhr.status !== 503) return;
  window.alert(
    "Heard is busy saving other changes, and nothing was saved yet. What you typed is still here: send it again in a moment.",
  );
});

// "/" anywhere but in a text box goes to the search box: the search page's own, else the
// header's (as on most sites with a search).
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest("input, textarea, select, [contenteditable]") || target.isContentEditable) return;
  const box = document.getElementById("search-q") || document.getElementById("site-search");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});
