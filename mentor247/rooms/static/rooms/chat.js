// The call's chat, the first session's points as the mentor covers them, and the mentor's
// wrap-up as the mentee's page shows it.

export function addChatLine(line, { me, you, otherName }) {
  const log = document.getElementById("chat-log");
  if (log.querySelector(`li[data-id="${line.id}"]`)) return;
  const item = document.createElement("li");
  item.dataset.id = line.id;
  const who = document.createElement("strong");
  who.textContent = `${String(line.author) === me ? you : otherName}:`;
  item.append(who, " ", line.text);
  log.append(item);
}

export function showCovered(covered, { coveredText, toCoverText }) {
  for (const item of document.querySelectorAll("#agenda-points li[data-point]")) {
    const done = covered.includes(item.dataset.point);
    const tick = item.querySelector(".tick");
    tick.dataset.covered = done ? "yes" : "no";
    tick.textContent = done ? coveredText : toCoverText;
  }
}

// The wrap-up as the room's page now shows it (the mentee's side only has one to show).
export async function refreshWrapUp() {
  const target = document.getElementById("wrap-up-shown");
  if (!target) return;
  const response = await fetch(location.href, { credentials: "same-origin" });
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("wrap-up-shown");
  if (fresh) target.replaceChildren(...fresh.childNodes);
}

export function onChatSubmit(form, input, send) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    send({ type: "chat", text });
    input.value = "";
  });
}
