// The hard copy's Print button: shown only when JavaScript can press it.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-print]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
