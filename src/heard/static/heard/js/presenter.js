// Presenter mode of a review: the left and right arrow keys move between findings, like
// slides. They follow the Previous and Next links, which work without this script too.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest("input, textarea, select, [contenteditable]")) return;
  const rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  if (!rel) return;
  const link = document.querySelector(`a[data-presenter][rel="${rel}"]`);
  if (!link) return;
  event.preventDefault();
  link.click();
});
