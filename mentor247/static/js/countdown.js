// Keeps "starts in …" up to date: every <time data-countdown datetime="…"> shows the time
// left until it, in the page's language, refreshed each half minute.
const elements = document.querySelectorAll("time[data-countdown]");
const format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", {
  numeric: "auto",
});
const units = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];

function update() {
  const now = Date.now();
  for (const element of elements) {
    const seconds = (Date.parse(element.getAttribute("datetime")) - now) / 1000;
    const [unit, size] = units.find(([, size]) => Math.abs(seconds) >= size) || units[2];
    element.textContent = format.format(Math.round(seconds / size), unit);
  }
}

if (elements.length) {
  update();
  setInterval(update, 30000);
}
