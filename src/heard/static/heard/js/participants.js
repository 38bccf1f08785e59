// The participant directory: choosing a segment filters at once (the Search button still works
// without JavaScript).
document.addEventListener("change", (event) => {
  const select = event.target.closest("form[data-autosubmit] select");
  if (select) select.form.requestSubmit();
});
