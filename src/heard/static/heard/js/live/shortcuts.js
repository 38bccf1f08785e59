// Single-key shortcuts for the whole page, off while typing in a field. The legend on the page
// and the "?" dialog list them.

import { $, isTyping } from "./dom.js";
import { statusForKey } from "./questions.js";
import { runToastAction } from "./toast.js";

export function setupShortcuts(app) {
  const dialog = $("shortcuts");
  const know = $("know-toggle");
  const knowBody = $("know-body");

  function toggleKnow(open = knowBody.hidden) {
    knowBody.hidden = !open;
    know.setAttribute("aria-expanded", String(open));
    try {
      window.localStorage.setItem("heard:live:know", open ? "open" : "closed");
    } catch {
      /* not remembered: no harm */
    }
  }
  if (know) {
    know.addEventListener("click", () => toggleKnow());
    try {
      if (window.localStorage.getItem("heard:live:know") === "closed") toggleKnow(false);
    } catch {
      /* open by default */
    }
  }

  function openDialog() {
    if (!dialog.open) dialog.showModal();
  }
  $("shortcuts-open").addEventListener("click", openDialog);

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (document.querySelector("dialog[open]")) return;
    if (isTyping(event.target)) return;
    const key = event.key;
    const handled = (() => {
      if (key === "?") return openDialog(), true;
      if (key === "i" || key === "/") return app.focusComposer();
      if (key === "j") return app.moveQuestion(1), true;
      if (key === "k") return app.moveQuestion(-1), true;
      if (key === "w" && know) return toggleKnow(), true;
      if (!app.writable()) return false;
      if (key === "u") return runToastAction();
      const status = statusForKey(key);
      if (status) return app.setCurrentStatus(status);
      return false;
    })();
    if (handled) event.preventDefault();
  });
}
