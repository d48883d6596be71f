// The directory's filters send only what is set, so the address bar holds a short URL that
// can be shared (an empty field means "any" anyway).
document.addEventListener("htmx:configRequest", (event) => {
  if (!event.target.matches("form.filters")) return;
  const parameters = event.detail.parameters;
  for (const [name, value] of Array.from(parameters.entries())) {
    if (value === "") parameters.delete(name);
  }
});
