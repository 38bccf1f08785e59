// Long notes take a few lines until someone asks for the rest: a "Show all" button (a real
// button, so the keyboard reaches it and screen readers hear whether it is open) under any
// text that runs past them. Without this script every note shows whole.
//
// Pages mark such texts with `data-collapse` (they need an id); the live screen calls
// `collapsible` on the notes it draws.

const CLAMPED = "is-clamped";
const measures = new WeakMap(); // text → what to do once it is laid out

// Whether a text runs past its clamp is known once the browser has laid it out, and may
// change with the width of the window.
const watching = new ResizeObserver((entries) => {
  for (const entry of entries) {
    const text = entry.target;
    if (text.isConnected) measures.get(text)?.();
    else watching.unobserve(text);
  }
});

/**
 * Clamp `text` to a few lines, with a toggle after it shown only when there is more to see;
 * returns the toggle (already after the text when the text has a parent). `expanded` opens it
 * from the start; `onToggle(open)` hears each change (the live screen keeps notes open
 * across redraws).
 */
export function collapsible(text, { expanded = false, onToggle = () => {} } = {}) {
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "linklike clamp-toggle";
  toggle.hidden = !expanded;
  if (text.id) toggle.setAttribute("aria-controls", text.id);
  let open = expanded;

  function show() {
    text.classList.toggle(CLAMPED, !open);
    toggle.textContent = open ? "Show less" : "Show all";
    toggle.setAttribute("aria-expanded", String(open));
  }

  measures.set(text, () => {
    // Opened, the text is as long as it is: keep the way back. Closed, offer the rest only
    // when some is hidden (a wider window may fit it all).
    if (!open) toggle.hidden = text.scrollHeight <= text.clientHeight + 1;
  });
  toggle.addEventListener("click", () => {
    open = !open;
    show();
    onToggle(open);
    if (!open) text.scrollIntoView({ block: "nearest" });
  });
  show();
  if (text.parentNode) text.after(toggle);
  watching.observe(text);
  return toggle;
}

for (const text of document.querySelectorAll("[data-collapse]")) collapsible(text);
