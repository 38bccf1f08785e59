// Presenter mode of a review: the left and right arrow keys move between findings, like
// slides. They follow the Previous and Next links (or press the buttons, for the presenter),
// which work without this script too.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  if (!rel) return;
  const control = document.querySelector(`[data-presenter="${rel}"]`);
  if (!control) return;
  event.preventDefault();
  control.click();
});

// A screen that follows the presenter is sent to the next finding by its poll; not while its
// person writes a challenge, whose words would go with the page.
document.addEventListener("htmx:beforeOnLoad", (event) => {
  if (!event.detail.xhr.getResponseHeader("HX-Redirect")) return;
  const writing = [...document.querySelectorAll("textarea")].some((box) => box.value.trim());
  const paused = document.getElementById("follow-paused");
  if (paused) paused.hidden = !writing;
  if (writing) event.preventDefault();
});
