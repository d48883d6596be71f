// The texts a page gives its scripts, one way on every page: a JSON object rendered with
// Django's json_script filter (data, not script, so the Content-Security-Policy lets it be),
// each text already in the viewer's language. A text has %(name)s where a value goes and %%
// for a percent sign, as Python's own formatting has.

export function texts(elementId) {
  const element = document.getElementById(elementId);
  const table = element ? JSON.parse(element.textContent) : {};
  return (key, values = {}) =>
    (table[key] ?? key).replace(/%(?:\((\w+)\)s|%)/g, (_all, name) =>
      name === undefined ? "%" : String(values[name] ?? ""),
    );
}
