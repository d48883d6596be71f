// Swagger UI leaves a few controls it renders without what assistive technology needs: each
// select or input of a parameter gets the parameter's name, and each scrolling code sample
// can take the keyboard focus (so it can be scrolled without a mouse), and each copy button
// says what it does, in the page's language (the template gives the words).
const root = document.getElementById("swagger-ui");
const copyLabel = document.body.dataset.copyLabel;

function mend() {
  for (const control of root.querySelectorAll(
    "tr[data-param-name] select:not([aria-label]), tr[data-param-name] input:not([aria-label])",
  )) {
    control.setAttribute("aria-label", control.closest("tr[data-param-name]").dataset.paramName);
  }
  for (const sample of root.querySelectorAll(".microlight:not([tabindex])")) {
    sample.setAttribute("tabindex", "0");
  }
  for (const button of root.querySelectorAll(".copy-to-clipboard button:not([aria-label])")) {
    button.setAttribute("aria-label", copyLabel);
  }
}

new MutationObserver(mend).observe(root, { childList: true, subtree: true });
